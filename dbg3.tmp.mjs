import { chromium } from '@playwright/test';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-gpu','--disable-background-networking'] });
const page = await browser.newPage();
page.on('console', (m) => console.log('console:', m.type(), m.text()));
await page.goto('http://localhost:4173/');
await page.waitForTimeout(1500);
console.log(await page.evaluate(async () => { const m = await import('/_app/immutable/chunks/BuaEPY08.js'); m.registerSW({immediate:true, onRegisterError: (e) => console.log('ERR', String(e)), onRegisteredSW: (u) => console.log('REG', u)}); await new Promise(r => setTimeout(r, 3000)); return (await navigator.serviceWorker.getRegistrations()).length; }));
await browser.close();
