/**
 * How tests and benchmarks start Chromium here: Debian's build (this machine cannot download
 * Playwright's browsers), headless as root, with the background networking that a closed network
 * would refuse turned off.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];
