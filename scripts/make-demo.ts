/**
 * Demo project generator: writes static/demo/support-replies.jsonl.
 *
 * The bundled demo is "Support replies (demo)": about 300 logs of an LLM answering customer
 * emails for Acme Notes, a fictional note-taking app, with the feedback a solo developer would
 * have left on them (👍/👎 labels, 1–5 ratings, comments, corrected replies). Every word is
 * written here; nothing is copied from third-party text. Replies are composed from templates:
 * good replies are concise and concrete, flawed ones are too long, too formal, state the wrong
 * policy, invent features or ignore the question, and the feedback follows that quality (with a
 * little label noise), so a preference model trained on the demo has something real to learn.
 *
 * The file mixes, one JSON object per line (the importer detects the format per line):
 * - single-turn logs in OpenAI chat format with feedback fields,
 * - multi-turn conversations (feedback is on the last assistant reply),
 * - tool-calling logs (top-level `tools`, assistant `tool_calls`, `tool` results, final reply),
 * - DPO lines in OpenAI's preference format (`input`, `preferred_output`,
 *   `non_preferred_output`).
 *
 * Deterministic: a seeded PRNG and fixed dates, so re-running gives a byte-identical file.
 * Run: npx tsx scripts/make-demo.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../src/lib/core/random';

// ---------------------------------------------------------------------------------------------
// PRNG and helpers

const rng = mulberry32(20261101);

function pick<T>(arr: readonly T[]): T {
	return arr[Math.floor(rng() * arr.length)];
}

function chance(p: number): boolean {
	return rng() < p;
}

function int(lo: number, hi: number): number {
	return lo + Math.floor(rng() * (hi - lo + 1));
}

function weighted<T>(items: readonly (readonly [T, number])[]): T {
	const total = items.reduce((s, [, w]) => s + w, 0);
	let r = rng() * total;
	for (const [item, w] of items) {
		r -= w;
		if (r < 0) return item;
	}
	return items[items.length - 1][0];
}

function shuffle<T>(arr: T[]): T[] {
	for (let i = arr.length - 1; i > 0; i--) {
		const j = Math.floor(rng() * (i + 1));
		[arr[i], arr[j]] = [arr[j], arr[i]];
	}
	return arr;
}

function words(s: string): number {
	return s.split(/\s+/).filter(Boolean).length;
}

const MONTHS =
	'January February March April May June July August September October November December'.split(
		' '
	);

const DAY = 86_400_000;

function isoDay(t: number): string {
	return new Date(t).toISOString().slice(0, 10);
}

function longDate(t: number, withYear = false): string {
	const d = new Date(t);
	const s = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
	return withYear ? `${s}, ${d.getUTCFullYear()}` : s;
}

// ---------------------------------------------------------------------------------------------
// Slot values

type Plan = 'Free' | 'Plus' | 'Team';

interface Device {
	label: string;
	kind: 'mobile' | 'desktop';
	android?: boolean;
}

const MOBILE: Device[] = [
	{ label: 'iPhone', kind: 'mobile' },
	{ label: 'iPad', kind: 'mobile' },
	{ label: 'Pixel 8', kind: 'mobile', android: true },
	{ label: 'Galaxy S23', kind: 'mobile', android: true },
	{ label: 'Android phone', kind: 'mobile', android: true }
];
const DESKTOP: Device[] = [
	{ label: 'MacBook', kind: 'desktop' },
	{ label: 'Windows laptop', kind: 'desktop' },
	{ label: 'Linux desktop', kind: 'desktop' },
	{ label: 'iMac', kind: 'desktop' },
	{ label: 'work PC', kind: 'desktop' }
];
const DEVICES = [...MOBILE, ...DESKTOP];

const NAMES =
	'Priya Tom Lena Marcus Aiko Diego Fatima Jonas Chloe Sam Olu Mei Rafael Hannah Ivan Nadia Ben Sofia Kwame Elif Greg Yuki Amara Lukas Zoe Omar Ines Pete Rosa Dev Maja Arjun Claire Tomasz Leila'.split(
		' '
	);
const SURNAMES = ['k', 'm', 'schmidt', 'ng', 'okafor', 'silva', 'ito', 'berg', 'novak', 'reyes'];
const NOTEBOOKS =
	'Recipes|Q3 planning|Thesis|Client meetings|Book club|Garden log|Sprint retros|Travel|Lectures|Journal|Research|House move|Wedding planning|D&D campaign|Podcast ideas|Onboarding docs'.split(
		'|'
	);
const CITIES = ['Lisbon', 'Tokyo', 'Nairobi', 'Toronto', 'Berlin', 'Mexico City', 'Seoul', 'Oslo'];
const WHEN_30 = [
	'yesterday',
	'three days ago',
	'last week',
	'on Monday',
	'about two weeks ago',
	'10 days ago',
	'earlier this month'
];
const WHEN_7 = ['yesterday', 'this morning', 'a couple of days ago', 'on Tuesday', 'last night'];
const BUSINESSES = ['design studio', 'law firm', 'bakery', 'dental practice', 'startup', 'NGO'];
const AUDIENCES = ['students', 'book club', 'clients', 'team at church', 'newsletter readers'];
const BROWSERS = ['Chrome', 'Firefox', 'Edge', 'Safari', 'Brave'];
const IDPS = ['Okta', 'Azure AD', 'Google Workspace', 'OneLogin', 'JumpCloud'];
const SUBJECTS = ['biology', 'law', 'computer science', 'history', 'nursing', 'architecture'];
const TERMS = ['invoice 2291', 'quarterly targets', 'soil pH', 'lease renewal', 'Kafka', 'Nguyen'];
const MD_THINGS = ['code snippets', 'tables', 'checklists', 'technical docs'];

interface Ctx {
	name: string | null;
	email: string;
	plan: Plan;
	device: Device;
	dev2: Device;
	notebook: string;
	n: number;
	k: number;
	when: string;
	recent: string;
	price: string;
	city: string;
	biz: string;
	audience: string;
	browser: string;
	idp: string;
	subject: string;
	term: string;
	size: number;
	mdThing: string;
	weeks: number;
	/** index of the question template, for answers that depend on how the question was asked */
	qi: number;
}

function makeCtx(t: Topic): Ctx {
	const first = pick(NAMES);
	const plan: Plan = t.plans
		? pick(t.plans)
		: weighted<Plan>([
				['Free', 3],
				['Plus', 5],
				['Team', 2]
			]);
	const device = t.devices ? pick(t.devices) : pick(DEVICES);
	let dev2 = pick(DEVICES);
	while (dev2.label === device.label) dev2 = pick(DEVICES);
	return {
		name: chance(0.55) ? first : null,
		email: `${first.toLowerCase()}.${pick(SURNAMES)}${chance(0.3) ? int(1, 99) : ''}@example.${pick(['com', 'org', 'net'])}`,
		plan,
		device,
		dev2,
		notebook: pick(NOTEBOOKS),
		n: pick([400, 1200, 2500, 3800, 6000, 9000]),
		k: int(3, 14),
		when: pick(WHEN_30),
		recent: pick(WHEN_7),
		price: pick(['$6', '$60', '$6.00', '$60.00']),
		city: pick(CITIES),
		biz: pick(BUSINESSES),
		audience: pick(AUDIENCES),
		browser: pick(BROWSERS),
		idp: pick(IDPS),
		subject: pick(SUBJECTS),
		term: pick(TERMS),
		size: pick([40, 80, 150]),
		mdThing: pick(MD_THINGS),
		weeks: int(5, 8),
		qi: 0
	};
}

// ---------------------------------------------------------------------------------------------
// Topics: questions, good cores, flawed cores (with the comment a reviewer would leave)

type Tpl = (c: Ctx) => string;

interface Flaw {
	text: Tpl;
	comment: string;
}

interface FollowUp {
	q: Tpl;
	good: Tpl;
	bad: Flaw;
}

interface Topic {
	id: string;
	short: string;
	weight: number;
	plans?: Plan[];
	devices?: Device[];
	q: Tpl[];
	good: Tpl[];
	wrong: Flaw[];
	halluc: Flaw[];
	follow?: FollowUp;
}

function syncLost(c: Ctx): string {
	return `Your changes aren't lost. When two devices edit a note before syncing, we keep both versions. Open the note on your ${c.dev2.label}, go to ⋯ → History, and you'll see the version from your ${c.device.label}; click Restore on it. If there's a separate note with "(conflict copy)" in the title, that's the other version: copy what you need and delete it. Also run Settings → About → Check for updates on both devices, since older app versions sync less often.`;
}

const TOPICS: Topic[] = [
	{
		id: 'refund',
		short: 'a refund',
		weight: 3,
		plans: ['Plus', 'Team'],
		q: [
			(c) => `I upgraded to ${c.plan} ${c.when} but I barely use it. Can I get my money back?`,
			(c) =>
				`I was charged ${c.price} ${c.when} and I honestly forgot the subscription was still running. Is a refund possible?`,
			(c) =>
				`How do refunds work? I paid for ${c.plan} ${c.when} and it's just not for me, I prefer paper notebooks lol`
		],
		good: [
			(c) =>
				`Yes, we refund any charge in full within 30 days, no questions asked. Since you paid ${c.when}, you're well inside that window.\n\nTo request it:\n1. Go to Settings → Billing → Invoices.\n2. Click "Request a refund" next to the charge.\n\nThe money goes back to your original payment method within 5–10 business days, and your account moves to Free. Your notes stay exactly where they are.`,
			() =>
				`Absolutely. Any charge can be refunded in full within 30 days, so you're covered. The quickest way is Settings → Billing → Invoices → "Request a refund" next to the charge. If you'd rather, reply with the invoice number and I'll process it for you. Expect the refund on your card within 5–10 business days. Your account switches back to Free, and all your notes stay put.`
		],
		wrong: [
			{
				text: () =>
					`Unfortunately our refund window is 14 days and only applies to monthly plans, so this charge can't be refunded. You can turn off auto-renewal in Settings → Billing so you won't be charged again next time.`,
				comment: 'wrong policy: refunds are 30 days for any charge, annual included'
			},
			{
				text: () =>
					`We can offer a partial refund as store credit for the unused months. I've noted your request, and the credit will appear on your account within 30 days.`,
				comment:
					'we never do store credit. full refund within 30 days + tell them how to request it'
			}
		],
		halluc: [
			{
				text: () =>
					`You can get an instant refund by typing /refund in the Acme Notes command bar. It cancels your plan and refunds the last charge automatically, usually within a minute.`,
				comment: "there's no /refund command, don't invent features"
			}
		],
		follow: {
			q: (c) =>
				`Oh wait, I just checked and it was actually ${c.weeks} weeks ago. Does that still count?`,
			good: (c) =>
				`Thanks for checking. At ${c.weeks} weeks it's outside our 30-day refund window, so I'm sorry, I can't refund that charge. What I can do is make sure you're not charged again: Settings → Billing → Cancel plan stops the renewal, and you keep ${c.plan} until the end of the period you've already paid for. After that the account moves to Free and all your notes stay.`,
			bad: {
				text: () =>
					`Yes, that still counts! I've gone ahead and issued a full refund to your card, so you should see it within a few days. Your plan stays active until the end of the month.`,
				comment: 'wrong: that is outside the 30 days, and the bot cannot issue refunds'
			}
		}
	},
	{
		id: 'sync-conflict',
		short: 'sync conflict copies',
		weight: 3,
		q: [
			(c) =>
				`I edited the same note on my ${c.device.label} and my ${c.dev2.label} and now I have two copies, one says "conflict copy". Which one is right??`,
			(c) =>
				`Sync keeps creating duplicate notes called "(conflict copy)" in my ${c.notebook} notebook. How do I stop this?`,
			(c) =>
				`My changes from the ${c.device.label} disappeared, the ${c.dev2.label} shows an older version of my ${c.notebook} note. Help!`
		],
		good: [
			(c) =>
				c.qi === 2
					? syncLost(c)
					: `That happens when the same note is edited on two devices before they could sync, so Acme Notes keeps both versions and nothing is lost. To fix it:\n1. Open the note and choose ⋯ → History to compare the versions side by side.\n2. Restore the one you want, or copy the missing paragraph across.\n3. Delete the "(conflict copy)" note.\n\nTo avoid it, let each device finish syncing (the cloud icon at the bottom of the sidebar turns solid) before switching, and keep both apps up to date.`
		],
		wrong: [
			{
				text: () =>
					`Conflict copies are created when your storage is full. Upgrading to Plus gives you more storage and the copies will stop appearing.`,
				comment:
					'wrong: conflicts come from edits on two devices before sync, not storage. and no upselling'
			}
		],
		halluc: [
			{
				text: () =>
					`Go to Settings → Sync → Labs and turn on "Auto-merge conflicts". Acme Notes will then merge both versions into one note automatically, so you'll never see a conflict copy again.`,
				comment: 'there is no auto-merge setting! point them to History'
			}
		],
		follow: {
			q: () => `ok that worked but it keeps happening every day, same note. why?`,
			good: (c) =>
				`If it keeps happening with the same note, one device is probably syncing late. The usual causes:\n1. An outdated app: check Settings → About → Check for updates on both.\n2. On ${c.device.kind === 'mobile' ? `your ${c.device.label}` : 'a phone'}, background refresh or battery saving stops the app from syncing until you open it.\n3. The note is open on a device that's asleep, which saves its old copy when it wakes.\n\nClosing the note on the device you're not using usually fixes it. If not, send me the app versions and I'll dig in.`,
			bad: {
				text: () =>
					`That's expected behaviour and nothing to worry about. Conflict copies are just a safety net, so you can simply ignore them or delete them once a week.`,
				comment: 'dismissive. give troubleshooting steps (updates, background refresh)'
			}
		}
	},
	{
		id: 'export-pdf',
		short: 'exporting to PDF',
		weight: 2,
		q: [
			(c) =>
				`How do I export a note to PDF? I need to send my ${c.notebook} notes to someone who doesn't use Acme Notes.`,
			(c) => `is there pdf export?? need to print a note from ${c.notebook} for a meeting tomorrow`
		],
		good: [
			(c) =>
				`Sure! Open the note, click the ⋯ menu in the top right, then Export → PDF. You can pick A4 or Letter and choose whether to include the title and tags. This works on every plan, in the desktop, mobile and web apps. If you want the whole ${c.notebook} notebook in one file, right-click the notebook in the sidebar and choose Export notebook → PDF; that one needs Plus or Team and adds a table of contents.`
		],
		wrong: [
			{
				text: (c) =>
					`PDF export is only available on the Team plan. On ${c.plan === 'Team' ? 'other plans' : c.plan} you can export as plain text and convert it with a free online converter.`,
				comment: 'wrong, single-note PDF export works on every plan'
			}
		],
		halluc: [
			{
				text: () =>
					`Just email the note to pdf@acmenotes.example and we'll send it back to you as a nicely formatted PDF within a few minutes.`,
				comment: "that email address doesn't exist, made-up feature"
			}
		],
		follow: {
			q: () => `Thanks! Will the images and attachments in my notes be in the PDF too?`,
			good: () =>
				`Images are embedded in the PDF at their original quality, scaled to the page width. Other attachments, such as audio files, spreadsheets or other PDFs, can't be embedded, so they're listed with their file names at the end of the note, each as a link to the file in Acme Notes. Notes with lots of large images can take a few seconds longer to export.`,
			bad: {
				text: () =>
					`Images aren't included in PDF exports, so you'll need to download them separately from each note and attach them to your email yourself.`,
				comment: 'wrong: images are embedded, other attachments listed as links'
			}
		}
	},
	{
		id: '2fa-setup',
		short: 'setting up 2FA',
		weight: 2,
		q: [
			() =>
				`How do I turn on two-factor authentication? I keep client notes in Acme Notes and want it locked down.`,
			() => `Does Acme Notes support 2FA with a hardware security key like a YubiKey?`
		],
		good: [
			(c) =>
				`${c.qi === 1 ? 'Yes, security keys are supported.' : 'Great idea.'} Go to Settings → Security → Two-factor authentication → Set up. You can use an authenticator app (1Password, Google Authenticator, Authy and so on) or a security key such as a YubiKey, and you can add both. At the end you'll get 10 recovery codes: save them somewhere safe outside Acme Notes, because they're the only way back in if you lose your phone or key.`
		],
		wrong: [
			{
				text: () =>
					`Two-factor authentication is only available for Team workspaces, and it works by SMS. An admin can enable it for everyone in the Admin console.`,
				comment: 'wrong: 2FA is on all plans, authenticator app or security key, no SMS'
			}
		],
		halluc: [
			{
				text: () =>
					`Enable "Face Login" under Settings → Security and Acme Notes will use your webcam to verify it's you every time you sign in.`,
				comment: 'Face Login is not a thing'
			}
		]
	},
	{
		id: '2fa-lost',
		short: 'being locked out of 2FA',
		weight: 2,
		q: [
			() =>
				`I got a new phone and my authenticator app didn't transfer. Now I can't log into Acme Notes. What do I do?`,
			(c) =>
				`Lost my phone with the 2FA codes on it. Locked out. Please disable 2FA on my account (${c.email})`
		],
		good: [
			() =>
				`Sorry, that's stressful! If you saved your recovery codes when you set up 2FA, click "Use a recovery code" on the sign-in screen and enter one (each works once). Then go to Settings → Security to set up 2FA on your new phone.\n\nIf you don't have the codes, fill in the account recovery form at acmenotes.example/recover. We verify your identity first, which takes 2–3 business days. We can't switch off 2FA over email, even for you: that's what protects your notes.`
		],
		wrong: [
			{
				text: (c) =>
					`No problem, I've disabled two-factor authentication on ${c.email}. You can now log in with just your password and set it up again later.`,
				comment: 'NEVER disable 2FA over email, security risk. recovery codes or the recover form'
			}
		],
		halluc: [
			{
				text: () =>
					`Just tap "Send code to my backup email" on the sign-in screen and we'll email you a one-time code to get back in.`,
				comment: 'there is no backup email option for 2FA'
			}
		],
		follow: {
			q: () => `I don't have the recovery codes either :( is my account gone?`,
			good: () =>
				`Not at all, your notes are safe. Go to acmenotes.example/recover and fill in the form with your account email, roughly when you created the account and, if you have one, a recent invoice number. We'll email you to confirm your identity and then reset 2FA, usually within 2–3 business days. Once you're back in, set up 2FA again and keep the new recovery codes in a password manager.`,
			bad: {
				text: () =>
					`I'm afraid that without the recovery codes the account can't be recovered, for security reasons. You'll need to create a new account.`,
				comment: 'wrong, there is the recovery form (2-3 days)'
			}
		}
	},
	{
		id: 'plus-vs-team',
		short: 'Plus vs Team pricing',
		weight: 2,
		q: [
			(c) =>
				`What's the difference between Plus and Team? We're ${c.k} people at a small ${c.biz}.`,
			(c) => `Should our ${c.biz} (${c.k} people) get Team or just everyone buy Plus?`
		],
		good: [
			(c) =>
				`For ${c.k} people I'd look at Team: it's $10 per user/month billed annually ($12 month to month) and adds shared team spaces, an admin console to manage members and billing in one place, SAML SSO and higher API limits. Plus ($6/month or $60/year) is for individuals: each person would pay separately and you'd share notes one by one. You can start a 14-day Team trial from Settings → Billing → Change plan, no card needed.`
		],
		wrong: [
			{
				text: () =>
					`Team is $6 per user per month and includes unlimited free guests, so it's the same price as Plus but with more features.`,
				comment: 'wrong prices: Team is $10/user/mo annual, $12 monthly'
			}
		],
		halluc: [
			{
				text: () =>
					`The main difference is that Team includes our AI meeting recorder, which joins your Zoom calls and turns them into notes automatically.`,
				comment: 'no meeting recorder in Team, invented'
			}
		],
		follow: {
			q: () => `Is there a free trial for Team?`,
			good: () =>
				`Yes: Team has a 14-day free trial with all features, and no card is needed to start it. Go to Settings → Billing → Change plan → Team → Start trial, then invite your colleagues from the Admin console. If you don't pick a plan by the end of the trial, the workspace simply moves to Free and nobody loses any notes.`,
			bad: {
				text: () =>
					`Unfortunately we don't offer trials for Team, but you can buy it monthly and cancel any time if it doesn't work for you.`,
				comment: 'there IS a 14 day trial'
			}
		}
	},
	{
		id: 'plus-price',
		short: 'Plus pricing',
		weight: 1,
		q: [
			() => `How much is Plus per year vs per month? Is there any discount for paying yearly?`,
			() => `what does plus cost? thinking about upgrading`
		],
		good: [
			() =>
				`Plus costs $6 per month or $60 per year, so the annual plan saves you $12 (two months free). You can switch any time in Settings → Billing → Change plan; when you move to annual we credit the unused part of your current month. Students and teachers get 50% off with a school email at acmenotes.example/education.`
		],
		wrong: [
			{
				text: () =>
					`Plus is $8 per month or $80 per year, with a 10% discount if you pay for two years.`,
				comment: 'wrong prices: $6/mo or $60/yr'
			}
		],
		halluc: [
			{
				text: () =>
					`We also have a lifetime plan for $199. It isn't listed on the website, but just ask support for a code and we'll set it up.`,
				comment: 'no lifetime plan!'
			}
		]
	},
	{
		id: 'free-limits',
		short: 'the Free plan limits',
		weight: 2,
		plans: ['Free'],
		q: [
			(c) =>
				`Is the free plan enough if I only use Acme Notes on my ${c.device.label} and ${c.dev2.label}?`,
			() => `What are the limits of the free plan exactly?`
		],
		good: [
			() =>
				`Free works well for most personal use: it covers 2 devices with unlimited notes and sync between them. The limits to watch are 60 MB of uploads per month, 25 MB per attachment and 7 days of version history. If you add a third device or start clipping lots of PDFs, Plus ($6/month) removes those limits. You can see your current usage in Settings → Account → Usage.`
		],
		wrong: [
			{
				text: () =>
					`The Free plan only allows 1 device and up to 50 notes, so for anything serious you'll need Plus.`,
				comment: 'wrong limits: Free is 2 devices, unlimited notes. pushy'
			}
		],
		halluc: [
			{
				text: () =>
					`Free also gets unlimited uploads once you invite 3 friends through the referral program in Settings → Rewards.`,
				comment: "there's no referral program"
			}
		]
	},
	{
		id: 'offline',
		short: 'offline mode',
		weight: 2,
		q: [
			(c) =>
				`Can I use Acme Notes offline on my ${c.device.label}? I'm flying to ${c.city} next week and want my ${c.notebook} notes.`,
			(c) =>
				`Does the ${c.device.label} app work without internet? I'll be somewhere remote for a week.`
		],
		good: [
			(c) =>
				c.device.kind === 'mobile'
					? `Yes. On the ${c.device.label} app, recently opened notes are cached automatically, but to be sure a whole notebook like ${c.notebook} is there, tap the notebook's ⋯ menu → "Available offline" (Plus and Team). Do it while you're still on Wi-Fi and wait for the download to finish. Any edits you make offline sync as soon as you're back online. The web app needs a connection, so use the app rather than the browser.`
					: `Yes. The desktop app on your ${c.device.label} keeps all of your notes offline automatically, on every plan. Just open the app once before you leave so it finishes syncing (the cloud icon at the bottom of the sidebar turns solid). You can read and edit everything offline, and your changes sync when you reconnect. Only the web app in your browser needs a connection.`
		],
		wrong: [
			{
				text: () =>
					`Offline mode isn't supported at the moment. Acme Notes needs an internet connection to open your notes, but it's on our roadmap.`,
				comment: 'wrong, desktop apps are fully offline and mobile has offline notebooks'
			}
		],
		halluc: [
			{
				text: () =>
					`Open the web app, go to Settings → Offline → "Download everything", and your whole account will be stored in the browser for offline use.`,
				comment: "no such setting, web app doesn't work offline"
			}
		],
		follow: {
			q: () => `And the web app in my browser, will that work on the plane too?`,
			good: () =>
				`The web app needs an internet connection, so it won't work on the plane. That's the one place we don't support offline yet. The desktop and mobile apps are the way to go: sign in there before you leave, let them sync, and everything you write offline will be uploaded automatically when you land.`,
			bad: {
				text: () =>
					`Yes, just enable "Offline mode" in your browser's site settings for acmenotes.example and the web app will keep working offline.`,
				comment: 'made up. web app needs a connection'
			}
		}
	},
	{
		id: 'share-edit',
		short: 'sharing a note for editing',
		weight: 2,
		q: [
			(c) => `How can I share my "${c.notebook}" note with a colleague so they can edit it too?`,
			() => `how do i let my partner edit one of my notes?`
		],
		good: [
			(c) =>
				`Open the note and click Share in the top right, enter their email and pick "Can edit" (or "Can comment" / "Can view"). They'll get an email invite, and edits show up live for both of you. On Free you can add up to 3 collaborators per note; Plus and Team have no limit. If you want to share ${c.qi === 0 ? `the whole ${c.notebook} notebook` : 'a whole notebook'} rather than single notes, that's what Team spaces are for.`
		],
		wrong: [
			{
				text: () =>
					`Sharing with edit rights is only possible inside a Team workspace. On other plans you can send a read-only copy by email.`,
				comment: 'wrong, any plan can invite editors (Free up to 3)'
			}
		],
		halluc: [
			{
				text: () =>
					`Open ⋯ → Share via QR code and have them scan it with their phone camera; they'll be able to edit instantly without signing in.`,
				comment: 'QR sharing does not exist'
			}
		],
		follow: {
			q: () => `Do they need a paid account to edit?`,
			good: () =>
				`No. Anyone you invite with "Can edit" can work on the note with a free Acme Notes account; they'll be asked to create one when they open the invite. The collaborator limit depends on your plan as the owner, not theirs, and what they edit doesn't count against their own storage.`,
			bad: {
				text: () =>
					`Yes, everyone who edits a shared note needs their own Plus subscription. Viewers can use a free account.`,
				comment: 'wrong, free accounts can edit'
			}
		}
	},
	{
		id: 'share-public',
		short: 'public links',
		weight: 1,
		q: [
			(c) =>
				`Can I share a note publicly with people who don't have Acme Notes? Like a link for my ${c.audience}.`
		],
		good: [
			() =>
				`Yes: open the note, click Share → Publish to web and copy the link. Anyone with the link can view the note in their browser, no account needed. It's view-only; to let people edit, invite them by email instead. You can unpublish at any time from the same menu and the link stops working immediately. Tip: published notes update live as you edit, so give it a quick check before sending.`
		],
		wrong: [
			{
				text: () =>
					`Public links are a Team feature and expire automatically after 24 hours for security reasons.`,
				comment: "wrong: publish to web is on all plans and doesn't expire"
			}
		],
		halluc: [
			{
				text: () =>
					`Publish to web also lets visitors suggest anonymous edits, which you can approve or reject from your inbox.`,
				comment: 'invented feature, published notes are view-only'
			}
		]
	},
	{
		id: 'delete-account',
		short: 'deleting their account',
		weight: 2,
		q: [
			() => `Please delete my account and all my data. I'm moving to another app.`,
			(c) => `How do I delete my Acme Notes account? I'm on ${c.plan}.`
		],
		good: [
			() =>
				`Sorry to see you go! Before deleting, you may want to export everything: Settings → Account → Export all data gives you a ZIP of Markdown files plus attachments. Then go to Settings → Account → Delete account. The account is deactivated right away and permanently deleted after 7 days, so sign in during that week if you change your mind. Any subscription is cancelled automatically, and backups are purged within 30 days.`
		],
		wrong: [
			{
				text: () =>
					`Done, I've deleted your account. Note that we keep your notes for 12 months in case you decide to come back.`,
				comment:
					"wrong: 7-day grace period, backups purged in 30 days. and the bot can't delete accounts"
			}
		],
		halluc: [
			{
				text: () =>
					`Instead of deleting, you can pause your account for up to a year from Settings → Account → Pause, and pick up where you left off.`,
				comment: 'there is no pause feature'
			}
		],
		follow: {
			q: () => `Will I get a refund for the rest of my annual plan?`,
			good: () =>
				`If your last charge was within the past 30 days, yes: request a full refund under Settings → Billing → Invoices before you delete the account, since billing isn't reachable afterwards. If the charge is older than 30 days we don't refund the remaining months, sorry. The plan is cancelled when you delete, so there won't be any further charges.`,
			bad: {
				text: () =>
					`Yes, we refund the unused months pro-rata automatically when an account is deleted, so you don't need to do anything.`,
				comment: 'no pro-rata refunds, 30 day window only'
			}
		}
	},
	{
		id: 'api-limits',
		short: 'API rate limits',
		weight: 2,
		plans: ['Plus', 'Team'],
		q: [
			(c) =>
				`I'm getting 429 errors from the Acme Notes API when I sync about ${c.n} notes from my script. What are the limits?`,
			(c) => `What's the API rate limit on ${c.plan}? Building a small integration.`
		],
		good: [
			(c) =>
				`The API allows 60 requests per minute per token on Plus and 300 per minute per workspace on Team. A 429 means you've hit that; the response has a Retry-After header with the number of seconds to wait, so back off for that long and retry. ${c.qi === 0 ? `For ${c.n} notes the bigger win is the batch endpoint: POST /v1/notes/batch takes up to 50 notes per request, which turns ${c.n} calls into ${Math.ceil(c.n / 50)}.` : 'If you work with many notes, use the batch endpoint: POST /v1/notes/batch takes up to 50 notes per request.'}`
		],
		wrong: [
			{
				text: () =>
					`The limit is 1,000 requests per hour on all plans. There's no way to batch requests, so you'll need to spread the sync over several hours.`,
				comment: 'wrong limits, and the batch endpoint exists'
			}
		],
		halluc: [
			{
				text: () =>
					`Add the header X-Acme-Priority: high to your requests and scripts will skip rate limiting entirely.`,
				comment: 'no such header, made up'
			}
		],
		follow: {
			q: () => `Is there any way to get a higher limit? We're on Plus.`,
			good: () =>
				`We can't raise limits per account, but there are two good options. First, the batch endpoint (POST /v1/notes/batch, up to 50 notes per call) cuts the number of requests by up to 50x, which is usually enough. Second, Team has 300 requests per minute per workspace. Also cache note ids locally and use the updated_since filter so each run only fetches what changed.`,
			bad: {
				text: () =>
					`Sure, I've raised the limit on your token to 1,000 requests per minute. It should take effect within the hour.`,
				comment: "support can't raise limits, don't promise things"
			}
		}
	},
	{
		id: 'password-reset',
		short: 'the password reset email',
		weight: 2,
		q: [
			(c) => `I forgot my password and the reset email never arrives. ${c.email}`,
			() => `password reset not working, i've requested it 3 times`
		],
		good: [
			() =>
				`Sorry about that! The reset link comes from no-reply@acmenotes.example, so please check spam or promotions and add that address to your contacts. Links are valid for 1 hour; if yours is older, request a new one from the sign-in page (Forgot password). If you originally signed up with Google or Apple, there's no Acme Notes password to reset: use "Continue with Google/Apple" instead. Still nothing after 15 minutes? Reply here and I'll check our mail logs.`
		],
		wrong: [
			{
				text: () =>
					`Reset emails can take up to 48 hours to arrive, so please wait. The link is then valid for 7 days.`,
				comment: 'wrong: links last 1 hour and arrive in minutes. tell them to check spam'
			},
			{
				text: () =>
					`I've reset your password to "Welcome123" so you can get in right away. Please change it after logging in.`,
				comment: 'NEVER set passwords for users!!'
			}
		],
		halluc: [
			{
				text: () =>
					`You can also reset your password by texting RESET to our support number; you'll get a code back within a minute.`,
				comment: 'no SMS support line exists'
			}
		],
		follow: {
			q: () => `Found it in spam, but now it says the link has expired.`,
			good: () =>
				`Reset links expire after 1 hour, and only the newest one works if you requested several. Request a fresh one from the sign-in page (Forgot password), then open that latest email and click the link right away, ideally in the same browser. If it still says expired, copy the full link into the address bar, since some mail apps break long links.`,
			bad: {
				text: () =>
					`Expired links can be reactivated: just forward the email to support@acmenotes.example and we'll extend it for you.`,
				comment: 'no, just request a new link'
			}
		}
	},
	{
		id: 'trash',
		short: 'restoring a deleted note',
		weight: 2,
		q: [
			(c) =>
				`I accidentally deleted a note with my ${c.notebook} stuff ${c.recent}. Can I get it back?`,
			() => `deleted the wrong note, is it gone forever??`
		],
		good: [
			() =>
				`Good news: deleted notes stay in the Trash for 30 days. Click Trash at the bottom of the sidebar (on mobile: Notebooks → Trash), find the note and choose Restore; it goes back to its original notebook. If you can't spot it, type in:trash followed by a word from the note into the search bar. Notes emptied from the Trash can't be recovered, so restore it before emptying.`
		],
		wrong: [
			{
				text: () =>
					`Unfortunately deleted notes are removed permanently right away, so there's no way to get it back.`,
				comment: 'wrong, Trash keeps notes 30 days'
			}
		],
		halluc: [
			{
				text: () =>
					`Just shake your phone within 24 hours of deleting and Acme Notes will offer to undo the deletion.`,
				comment: 'no shake-to-undo in the app'
			}
		]
	},
	{
		id: 'evernote',
		short: 'importing from Evernote',
		weight: 1,
		q: [(c) => `Can I import my notes from Evernote? I have about ${c.n} notes over there.`],
		good: [
			(c) =>
				`Yes! In Evernote, export each notebook as an .enex file (right-click the notebook → Export notebook). Then in the Acme Notes desktop or web app, go to File → Import → Evernote (.enex) and pick the file. Tags, attachments and creation dates come across, and each .enex becomes its own notebook. Files up to 500 MB import in one go; for ${c.n} notes that's usually fine, otherwise split them across a few notebooks.`
		],
		wrong: [
			{
				text: () =>
					`We don't support importing from Evernote, so you'd need to copy and paste your notes across manually.`,
				comment: 'wrong, .enex import exists'
			}
		],
		halluc: [
			{
				text: () =>
					`Just connect your Evernote account under Settings → Integrations and we'll keep both apps in sync continuously.`,
				comment: "there's no live Evernote sync"
			}
		]
	},
	{
		id: 'attachment-size',
		short: 'the attachment size limit',
		weight: 1,
		plans: ['Free'],
		q: [
			(c) =>
				`I can't attach a ${c.size} MB video to my note, it says "file too large". What's the limit?`
		],
		good: [
			(c) =>
				`Attachments can be up to 25 MB each on Free and 200 MB on Plus and Team, so your ${c.size} MB video is over the Free limit. Two options: upgrade to Plus ($6/month) and attach it directly, or upload it to a cloud drive and paste the link into the note; Acme Notes shows a preview for most video links. Images and PDFs under 25 MB attach fine on Free.`
		],
		wrong: [
			{
				text: () =>
					`The maximum attachment size is 10 MB on all plans, so videos generally won't fit.`,
				comment: 'wrong limits: 25 MB Free, 200 MB Plus/Team'
			}
		],
		halluc: [
			{
				text: () =>
					`Right-click the file and choose "Shrink video" to use our built-in compressor, which gets most videos under the limit.`,
				comment: 'no video compressor'
			}
		]
	},
	{
		id: 'student',
		short: 'the student discount',
		weight: 1,
		q: [(c) => `Do you have a student discount? I'm studying ${c.subject} at uni.`],
		good: [
			(c) =>
				`We do: students and teachers get 50% off Plus, so it's $30/year. Sign up at acmenotes.example/education with your school email address; most schools are verified instantly, and the discount renews each year while your school email is active. If your school isn't recognised, you can upload a student ID there instead. Good luck with ${c.subject}!`
		],
		wrong: [
			{
				text: () =>
					`Our student discount is 20% and only applies to annual plans paid by invoice through your university.`,
				comment: "it's 50%, any student with a school email"
			}
		],
		halluc: [
			{
				text: () =>
					`Students get Plus free forever if they share Acme Notes on social media and send us a screenshot.`,
				comment: 'made-up promo'
			}
		]
	},
	{
		id: 'change-email',
		short: 'changing the account email',
		weight: 1,
		q: [
			() => `How do I change the email on my account from my old work address to my personal one?`,
			() => `I'm leaving my job, need to move my acme notes account to my gmail. how?`
		],
		good: [
			() =>
				`Go to Settings → Account → Email, enter the new address and confirm with your password. We'll send a confirmation link to the new address, and your email changes once you click it (the link is valid for 24 hours). Your notes, plan and shared notes all stay the same. If you sign in with "Continue with Google", add a password under Settings → Account → Sign-in methods first.`
		],
		wrong: [
			{
				text: () =>
					`Email addresses can't be changed, I'm afraid. You'd need to create a new account and export and re-import your notes.`,
				comment: 'wrong, email can be changed in Settings → Account'
			}
		],
		halluc: [
			{
				text: () =>
					`Email support from both addresses within the same hour and our system will merge the two automatically.`,
				comment: 'nonsense process'
			}
		]
	},
	{
		id: 'vat-invoice',
		short: 'a VAT invoice',
		weight: 1,
		plans: ['Plus', 'Team'],
		q: [
			(c) =>
				`I need an invoice with our company VAT number for the ${c.price} charge. Where can I get one?`
		],
		good: [
			() =>
				`You can add your VAT ID under Settings → Billing → Billing details; it'll appear on all future invoices, and for EU businesses VAT is then reverse-charged. Invoices are under Settings → Billing → Invoices as PDFs. For a charge that was already invoiced, reply with the invoice number and your VAT ID and we'll reissue it within one business day.`
		],
		wrong: [
			{
				text: () =>
					`We can't add VAT numbers to invoices, but the receipt in your email should be accepted by most accountants.`,
				comment: 'wrong: billing details has a VAT field'
			}
		],
		halluc: [
			{
				text: () =>
					`Add your accountant under Settings → Accountant and every invoice will be forwarded to them automatically with the VAT ID.`,
				comment: 'no accountant feature'
			}
		]
	},
	{
		id: 'search-pdf',
		short: 'searching inside PDFs',
		weight: 1,
		q: [
			(c) =>
				`Search doesn't find text inside my PDFs. I searched for "${c.term}", which I know is in an attached PDF.`
		],
		good: [
			(c) =>
				c.plan === 'Free'
					? `On Free, search covers note titles and text but not the contents of attachments, which is why "${c.term}" doesn't show up. Plus and Team add search inside PDFs and images (including scanned documents). As a workaround, you can copy the key lines of the PDF into the note itself, or search the PDF in your viewer.`
					: `On ${c.plan}, search does cover PDFs, but new attachments are indexed in the background and can take a few minutes (scanned PDFs a bit longer). If an older PDF still doesn't show up for "${c.term}", open the desktop app and run Help → Rebuild search index. Password-protected PDFs can't be indexed, so that's worth checking too.`
		],
		wrong: [
			{
				text: () =>
					`Search only looks at note titles, not at the content of notes or attachments, so you'll need to open the PDF to search it.`,
				comment: 'wrong: full-text search, PDFs on Plus/Team'
			}
		],
		halluc: [
			{
				text: (c) =>
					`Type deep: before your search (deep:${c.term}) to search inside attachments; normal search skips them.`,
				comment: 'no deep: operator'
			}
		]
	},
	{
		id: 'web-clipper',
		short: 'the web clipper',
		weight: 1,
		q: [(c) => `Is there a browser extension to save web pages to Acme Notes? I use ${c.browser}.`],
		good: [
			(c) =>
				c.browser === 'Brave'
					? `Yes! The Acme Notes Web Clipper is available for Chrome, Firefox, Edge and Safari, and the Chrome version works in Brave too. Install it from acmenotes.example/clipper, sign in once and click the icon on any page. You can save the full page, a simplified article view, a selection or a screenshot, and choose the notebook and tags before saving.`
					: `Yes! The Acme Notes Web Clipper is available for Chrome, Firefox, Edge and Safari. Install it from acmenotes.example/clipper (it links to the ${c.browser} store), sign in once and click the icon on any page. You can save the full page, a simplified article view, a selection or a screenshot, and choose the notebook and tags before saving. Clips sync to all your devices like any other note.`
		],
		wrong: [
			{
				text: () =>
					`We only have a clipper for Chrome at the moment; other browsers are on the roadmap.`,
				comment: 'wrong: Chrome, Firefox, Edge, Safari'
			}
		],
		halluc: [
			{
				text: () =>
					`Press Ctrl+Shift+A anywhere on your computer to clip any app's window straight into Acme Notes, no extension needed.`,
				comment: 'no system-wide shortcut like that'
			}
		]
	},
	{
		id: 'sso',
		short: 'SSO',
		weight: 1,
		q: [(c) => `Does Acme Notes support SSO with ${c.idp}? We'd roll it out to our ${c.biz}.`],
		good: [
			(c) =>
				`Yes, SAML SSO is part of the Team plan and works with any SAML 2.0 provider, including ${c.idp}. An admin sets it up in Admin console → Security → Single sign-on: paste in your identity provider's metadata URL, and we show you the ACS URL and entity ID to add on the ${c.idp} side. Once it's verified you can require SSO for all members. You can try it during the 14-day Team trial.`
		],
		wrong: [
			{
				text: () =>
					`SSO is only available on our Enterprise plan, so you'd need to contact our sales team for a quote.`,
				comment: 'there is no Enterprise plan, SSO is on Team'
			}
		],
		halluc: [
			{
				text: () =>
					`SSO also provisions and deprovisions users automatically through our SCIM 3.0 connector, which you enable in one click.`,
				comment: "we don't offer SCIM"
			}
		]
	},
	{
		id: 'cancel',
		short: 'cancelling the subscription',
		weight: 2,
		plans: ['Plus', 'Team'],
		q: [
			(c) => `How do I cancel my ${c.plan} subscription? I don't want it to renew next month.`,
			() => `want to cancel. where's the button`
		],
		good: [
			(c) =>
				`You can cancel any time from Settings → Billing → Cancel plan. You keep ${c.plan} until the end of the period you've paid for, then the account moves to Free and no notes are deleted. If you have more than 2 devices signed in, you'll be asked which two to keep. And if you were charged in the last 30 days and haven't really used it, you can request a full refund on that same page.`
		],
		wrong: [
			{
				text: () =>
					`To cancel, please email us from your account address at least 30 days before your renewal date and we'll process it manually.`,
				comment: 'wrong: self-serve cancel any time'
			},
			{
				text: () =>
					`Simply delete the app from your devices and your subscription will be cancelled automatically at the end of the month.`,
				comment: 'wrong and harmful: uninstalling does NOT cancel'
			}
		],
		halluc: [
			{
				text: () =>
					`If you just need a break, use the "Freeze plan" button in Settings → Billing to pause billing for up to 3 months.`,
				comment: 'no freeze plan'
			}
		]
	},
	{
		id: 'android-reminders',
		short: 'reminders on Android',
		weight: 1,
		devices: MOBILE.filter((d) => d.android),
		q: [
			(c) =>
				`Reminders in Acme Notes don't show up on my ${c.device.label}. They work fine on my laptop.`
		],
		good: [
			(c) =>
				`That's usually Android's battery optimisation stopping the app in the background. Try this:\n1. Settings → Apps → Acme Notes → Battery → "Unrestricted".\n2. On the same screen, check Notifications are on and the "Reminders" channel is allowed.\n3. ${c.device.label === 'Galaxy S23' ? 'On Samsung phones, also remove Acme Notes from "Sleeping apps" in Device care.' : 'If your phone has an extra battery manager, allow Acme Notes there too.'}\nThen set a test reminder two minutes ahead. If it still doesn't fire, send us the app version from Settings → About.`
		],
		wrong: [
			{
				text: () =>
					`Reminders aren't supported on Android yet; they only work in the desktop apps and on iPhone.`,
				comment: "wrong: they're supported, it's battery optimisation"
			}
		],
		halluc: [
			{
				text: () =>
					`Turn on "Reminder boost" in the Acme Notes settings; it bypasses Android's battery rules so reminders always fire.`,
				comment: 'no Reminder boost setting'
			}
		]
	},
	{
		id: 'desktop-crash',
		short: 'the desktop app crashing',
		weight: 1,
		devices: DESKTOP,
		q: [
			(c) =>
				`The Acme Notes app on my ${c.device.label} crashes right after opening since the latest update.`
		],
		good: [
			() =>
				`Sorry about that! First, check you're on the newest version: we shipped a fix for a startup crash in 5.12.1 (download it from acmenotes.example/download). If it still crashes, hold Shift while opening the app to start in safe mode, then go to Help → Troubleshooting → Reset local cache. Your notes are stored in your account and will download again; only changes made since your last sync could be lost. If none of that helps, send us the file from Help → Troubleshooting → Export logs.`
		],
		wrong: [
			{
				text: () =>
					`Please uninstall and reinstall the app. Reinstalling also restores any changes that hadn't synced yet, so you won't lose anything.`,
				comment: "reinstall doesn't restore unsynced changes, misleading"
			}
		],
		halluc: [
			{
				text: () =>
					`Open a terminal and run acme-notes --repair; it rebuilds the local database and fixes most crashes in under a minute.`,
				comment: "there's no --repair flag"
			}
		]
	},
	{
		id: 'version-history',
		short: 'version history',
		weight: 1,
		q: [
			(c) =>
				`Can I see an older version of my note? I overwrote a paragraph in my ${c.notebook} note ${c.recent}.`
		],
		good: [
			() =>
				`Yes: open the note, then ⋯ → History. You'll see a list of saved versions with the time and the device that made each change. Click one to preview it, then either Restore the whole version or just copy the paragraph you need. Free keeps 7 days of history, Plus keeps a year and Team keeps everything, so a change from that recently is definitely still there.`
		],
		wrong: [
			{
				text: () =>
					`Acme Notes doesn't keep older versions; once a note is saved, the previous text is gone, sorry.`,
				comment: 'wrong: History exists'
			}
		],
		halluc: [
			{
				text: () =>
					`Press Ctrl+Z: Acme Notes keeps up to 1,000 undo steps per note, even after you close and reopen the app.`,
				comment: "undo doesn't persist across restarts, use History"
			}
		]
	},
	{
		id: 'markdown',
		short: 'Markdown support',
		weight: 1,
		q: [(c) => `Does Acme Notes support Markdown? I write a lot of ${c.mdThing}.`],
		good: [
			() =>
				"Yes. You can type Markdown shortcuts as you write: # for headings, - or * for lists, [ ] for checklists, ``` for code blocks (with syntax highlighting) and | for tables, and they turn into formatting right away. Pasting Markdown text converts it too. Notes can be exported as Markdown (⋯ → Export → Markdown), and the full data export is Markdown as well, so you're never locked in."
		],
		wrong: [
			{
				text: () =>
					`Markdown is only available in the desktop app after enabling developer mode in the advanced settings.`,
				comment: 'wrong, Markdown shortcuts work everywhere'
			}
		],
		halluc: [
			{
				text: () =>
					`You can also write LaTeX documents in a note and Acme Notes compiles them to PDF automatically.`,
				comment: 'no LaTeX compile'
			}
		]
	},
	{
		id: 'team-seats',
		short: 'adding Team seats',
		weight: 1,
		plans: ['Team'],
		q: [(c) => `How do I add ${c.k} more people to our Team workspace, and how is it billed?`],
		good: [
			() =>
				`An admin can go to Admin console → Members → Invite and enter their emails; each person becomes a seat once they accept. On annual billing you're charged a prorated amount for the rest of your year ($10 per user per month), shown on the next invoice. On monthly billing it's $12 per user, prorated to your next renewal. Removing someone frees the seat, and the credit goes to your next invoice.`
		],
		wrong: [
			{
				text: () =>
					`Each extra seat is billed for a full year up front at $144, with no proration, regardless of when they join.`,
				comment: 'we prorate'
			}
		],
		halluc: [
			{
				text: () =>
					`The first 5 extra people are free forever as "shadow seats", so you only pay once you pass that.`,
				comment: 'no shadow seats'
			}
		]
	}
];

// ---------------------------------------------------------------------------------------------
// Prompt versions, openers, closers, flaw wrappers

type Era = 'v1' | 'v2';

const SYSTEM: Record<Era, string> = {
	v1: 'You are the support assistant for Acme Notes, a note-taking app for web, desktop (macOS, Windows, Linux) and mobile (iOS, Android). Answer customer emails helpfully. Plans: Free, Plus ($6/month or $60/year), Team ($10 per user/month billed annually). Refunds: full refund within 30 days of any charge.',
	v2: 'You are the support assistant for Acme Notes, a note-taking app for web, desktop (macOS, Windows, Linux) and mobile (iOS, Android). Reply to customer emails in a friendly, concise way (under 150 words) with concrete steps. Plans: Free, Plus ($6/month or $60/year), Team ($10 per user/month billed annually, $12 monthly). Refunds: full refund within 30 days of any charge. Never invent features or policies; if unsure, offer to pass the question to a human. Sign off as "Acme Notes Support".'
};

const TOOL_SYSTEM = `${SYSTEM.v2} Use lookup_order for questions about a specific charge and get_subscription for plan and renewal questions.`;

function opener(c: Ctx): string {
	if (c.name)
		return pick([`Hi ${c.name},`, `Hi ${c.name}!`, `Hello ${c.name},`, `Thanks, ${c.name}!`]);
	return pick(['Hi there,', 'Hello!', 'Hi!', 'Thanks for reaching out!']);
}

const CLOSERS = [
	'Let me know if anything is unclear, happy to help.',
	"If that doesn't sort it out, just reply here and I'll take a closer look.",
	'Hope that helps!',
	'Anything else, just reply to this email.',
	'Shout if you get stuck.',
	''
];

function signoff(era: Era): string {
	if (era === 'v2')
		return pick([
			'Best,\nAcme Notes Support',
			'— Acme Notes Support',
			'Cheers,\nAcme Notes Support'
		]);
	return pick(['', '', 'Cheers,\nThe Acme Notes team']);
}

function assemble(parts: string[]): string {
	return parts.filter(Boolean).join('\n\n');
}

const PAD = [
	'I hope this helps you get back to your notes quickly.',
	'Thanks for being an Acme Notes user, we really appreciate it.',
	'Please let me know if there is anything else I can help you with today.'
];

function padded(text: string, era: Era, c: Ctx | null): string {
	let out = c ? assemble([opener(c), text]) : text;
	const pad = shuffle([...PAD]);
	while (words(out) < 45 && pad.length) out = assemble([out, pad.pop() ?? '']);
	return assemble([out, signoff(era)]);
}

function goodReply(c: Ctx, core: string, era: Era): string {
	return assemble([opener(c), core, pick(CLOSERS), signoff(era)]);
}

const FILLER = [
	'I completely understand how important your notes are to you, and I want to make sure you have all of the information you need to get this sorted out as quickly and smoothly as possible.',
	'Acme Notes is built to keep your notes safe and in sync across every device you use, and our team is always working on improvements to make everyday tasks like this one even simpler.',
	"Before you start, it's generally a good idea to make sure that you're running the latest version of the app on all of your devices, since updates often include improvements and bug fixes.",
	'As a general tip, many of our users find it helpful to organise their notes into notebooks and to use tags consistently, which makes everything much easier to find later on.',
	"Please also keep in mind that some menu names can differ slightly between the web, desktop and mobile versions of Acme Notes, so if you don't see an option right away, it may simply be in a slightly different place.",
	'If you would like to learn more, our Help Center has detailed articles on this topic and many others, including step-by-step guides with screenshots for each platform.',
	'Once again, thank you for being part of the Acme Notes community, and thank you for your patience while we looked into this for you.',
	'We always value feedback from our users, so if you have any suggestions about how we could make this easier, please feel free to share them with us at any time.'
];

function tooLong(c: Ctx, core: string, t: Topic, era: Era): string {
	const fill = shuffle([...FILLER]);
	const intro = `Thank you so much for getting in touch with us about ${t.short}. ${fill[0]}`;
	const before = [intro, fill[1]];
	const after = [fill[2], fill[3], fill[4], fill[5]];
	const sign = signoff(era);
	const build = () =>
		assemble([opener(c), ...before, `To answer your question: ${core}`, ...after, sign]);
	let out = build();
	while (words(out) > 250 && after.length > 1) {
		after.pop();
		out = build();
	}
	if (words(out) > 250) {
		before.pop();
		out = build();
	}
	return out;
}

function tooFormal(c: Ctx, core: string, era: Era): string {
	const dear = c.name ? `Dear ${c.name},` : pick(['Dear Customer,', 'Dear valued customer,']);
	const intro = pick([
		'Thank you for contacting Acme Notes Customer Support regarding your inquiry. We sincerely apologise for any inconvenience you may have experienced.',
		'We acknowledge receipt of your message and thank you for bringing this matter to our attention. Please find the relevant information below.'
	]);
	const outro = pick([
		'Should you require any further assistance, please do not hesitate to contact us. We remain at your disposal.',
		'We trust that the above information adequately addresses your inquiry. Please do not hesitate to contact us should you have any further questions.'
	]);
	const sign =
		era === 'v2'
			? 'Yours faithfully,\nAcme Notes Support'
			: 'Yours faithfully,\nAcme Notes Customer Support Department';
	return assemble([dear, intro, core, outro, sign]);
}

const GENERIC = [
	'Thanks for reaching out to Acme Notes! Acme Notes is the easiest way to capture ideas, organise projects and collaborate with your team across all your devices. Did you know you can use tags, notebooks and powerful search to keep everything organised? For more tips, visit our Help Center at help.acmenotes.example, where you will find guides for every feature.',
	"Great question! Acme Notes is constantly improving and our team works hard to make it the best note-taking experience available. I've passed your feedback on to our product team. In the meantime, make sure your app is updated to the latest version for the best experience, and keep an eye on our blog for announcements.",
	"Thanks for your message. We're always happy to hear from our users. Acme Notes offers Free, Plus and Team plans so that everyone can find the right fit, and all plans include sync across your devices. You can compare plans at acmenotes.example/pricing at any time."
];

type FlawKind = 'long' | 'formal' | 'wrong' | 'halluc' | 'ignore';

const FLAW_COMMENTS: Record<'long' | 'formal', string[]> = {
	long: [
		'way too long, the answer is buried',
		'too long, 3 sentences would do',
		'cut the filler, get to the steps',
		'tl;dr. nobody reads this much',
		'the actual steps are in paragraph 4...'
	],
	formal: [
		'too formal',
		"too stiff, we're not a bank",
		'drop the "Dear valued customer" stuff, sound human',
		'robotic tone',
		'too formal, we never say "at your disposal"'
	]
};

interface Reply {
	text: string;
	quality: 'good' | FlawKind;
	comment?: string;
}

function flawedReply(c: Ctx, t: Topic, era: Era, kind: FlawKind): Reply {
	const core = pick(t.good)(c);
	switch (kind) {
		case 'long':
			return { text: tooLong(c, core, t, era), quality: kind, comment: pick(FLAW_COMMENTS.long) };
		case 'formal': {
			let comment = pick(FLAW_COMMENTS.formal);
			if (t.id === 'refund' && chance(0.5)) comment += ', and lead with the 30-day refund';
			return { text: tooFormal(c, core, era), quality: kind, comment };
		}
		case 'wrong': {
			const f = pick(t.wrong);
			return { text: padded(f.text(c), era, c), quality: kind, comment: f.comment };
		}
		case 'halluc': {
			const f = pick(t.halluc);
			return { text: padded(f.text(c), era, c), quality: kind, comment: f.comment };
		}
		case 'ignore': {
			if (chance(0.5)) {
				return {
					text: assemble([opener(c), pick(GENERIC), signoff(era)]),
					quality: kind,
					comment: pick([
						"doesn't answer the question",
						`generic marketing. they asked about ${t.short}`,
						'useless, no steps at all'
					])
				};
			}
			let other = pick(TOPICS);
			while (other.id === t.id) other = pick(TOPICS);
			return {
				text: goodReply(c, pick(other.good)(c), era),
				quality: kind,
				comment: pick([
					`answers a different question, they asked about ${t.short}`,
					'misread the question'
				])
			};
		}
	}
}

function chooseFlaw(era: Era): FlawKind {
	return weighted<FlawKind>(
		era === 'v1'
			? [
					['long', 3],
					['formal', 3],
					['wrong', 2],
					['halluc', 1.5],
					['ignore', 1]
				]
			: [
					['long', 1.5],
					['formal', 1],
					['wrong', 2],
					['halluc', 1.5],
					['ignore', 1]
				]
	);
}

// ---------------------------------------------------------------------------------------------
// Lines

interface Msg {
	role: 'system' | 'user' | 'assistant' | 'tool';
	content?: string;
	tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
	tool_call_id?: string;
}

interface LogLine {
	messages: Msg[];
	tools?: unknown[];
	model: string;
	temperature: number;
	created_at: string;
	label?: boolean;
	rating?: number;
	comment?: string;
	correction?: string;
}

interface DpoLine {
	input: { messages: Msg[] };
	preferred_output: Msg[];
	non_preferred_output: Msg[];
}

interface Draft {
	line: LogLine;
	reply: Reply;
	kind: 'single' | 'multi' | 'tool';
	goodAlt: string; // a good reply for the same input, used as a correction
	time: number;
}

const END = Date.UTC(2026, 10, 1);
const START = END - 60 * DAY;
const SWITCH = Date.UTC(2026, 9, 6); // model + prompt change

function randomTime(): number {
	const day = Math.floor(rng() * 60);
	const weekend = new Date(START + day * DAY).getUTCDay() % 6 === 0;
	if (weekend && chance(0.6)) return randomTime();
	const hour = weighted<number>(
		Array.from({ length: 24 }, (_, h) => [h, h >= 7 && h <= 20 ? 4 : 1] as const)
	);
	return START + day * DAY + hour * 3_600_000 + int(0, 3599) * 1000;
}

function eraOf(time: number): Era {
	return time < SWITCH ? 'v1' : 'v2';
}

function modelOf(time: number): string {
	const newer = time < SWITCH ? chance(0.08) : chance(0.88);
	return newer ? 'gpt-4.1-mini-2025-04-14' : 'gpt-4o-mini-2024-07-18';
}

const GREET = ['', '', 'Hi, ', 'Hello, ', 'Hey, ', 'Hi there! ', 'Good morning, '];

function userMessage(c: Ctx, q: string): string {
	let text = q;
	const g = pick(GREET);
	const lower = g.endsWith(', ') && /^[A-Z][a-z]/.test(text);
	if (g) text = g + (lower ? text[0].toLowerCase() + text.slice(1) : text);
	else if (chance(0.08)) text = `Urgent: ${text}`;
	const sign = c.name
		? pick([`\n\nThanks,\n${c.name}`, `\n\n${c.name}`, `\n\nCheers, ${c.name}`, ` - ${c.name}`])
		: pick(['', '', ' Thanks!', '\n\nThanks in advance', ' thx']);
	return text + sign;
}

const seenUser = new Set<string>();

/** Picks a topic and slots whose first user message is new (every line must be unique). */
function freshQuestion(
	pickTopic: () => Topic,
	qOf: (t: Topic, c: Ctx) => string = (t, c) => {
		c.qi = Math.floor(rng() * t.q.length);
		return t.q[c.qi](c);
	}
): { t: Topic; c: Ctx; user: string } {
	for (let i = 0; i < 200; i++) {
		const t = pickTopic();
		const c = makeCtx(t);
		const user = userMessage(c, qOf(t, c));
		if (!seenUser.has(user)) {
			seenUser.add(user);
			return { t, c, user };
		}
	}
	throw new Error('could not find a fresh question');
}

const pickWeightedTopic = () => weighted<Topic>(TOPICS.map((t) => [t, t.weight] as const));

function singleLog(): Draft {
	const time = randomTime();
	const era = eraOf(time);
	const model = modelOf(time);
	const { t, c, user } = freshQuestion(pickWeightedTopic);
	const pFlaw = model.startsWith('gpt-4.1') ? 0.36 : 0.5;
	const reply: Reply = chance(pFlaw)
		? flawedReply(c, t, era, chooseFlaw(era))
		: { text: goodReply(c, pick(t.good)(c), era), quality: 'good' };
	return {
		line: {
			messages: [
				{ role: 'system', content: SYSTEM[era] },
				{ role: 'user', content: user },
				{ role: 'assistant', content: reply.text }
			],
			model,
			temperature: 0.7,
			created_at: new Date(time).toISOString()
		},
		reply,
		kind: 'single',
		goodAlt: goodReply(c, pick(t.good)(c), era),
		time
	};
}

function multiLog(t: Topic): Draft {
	const f = t.follow;
	if (!f) throw new Error(`topic ${t.id} has no follow-up`);
	const time = randomTime();
	const era = eraOf(time);
	const { c, user } = freshQuestion(() => t);
	const first = goodReply(c, pick(t.good)(c), era);
	const good = () => assemble([f.good(c), pick(CLOSERS), signoff(era)]);
	const reply: Reply = chance(0.45)
		? { text: padded(f.bad.text(c), era, null), quality: 'wrong', comment: f.bad.comment }
		: { text: good(), quality: 'good' };
	return {
		line: {
			messages: [
				{ role: 'system', content: SYSTEM[era] },
				{ role: 'user', content: user },
				{ role: 'assistant', content: first },
				{ role: 'user', content: f.q(c) },
				{ role: 'assistant', content: reply.text }
			],
			model: modelOf(time),
			temperature: 0.7,
			created_at: new Date(time).toISOString()
		},
		reply,
		kind: 'multi',
		goodAlt: good(),
		time
	};
}

// ---------------------------------------------------------------------------------------------
// Tool-calling logs

const TOOLS = [
	{
		type: 'function',
		function: {
			name: 'lookup_order',
			description: 'Look up an Acme Notes order (a single charge) by its order id, e.g. AN-48213.',
			parameters: {
				type: 'object',
				properties: {
					order_id: { type: 'string', description: 'The order id, starting with AN-' }
				},
				required: ['order_id'],
				additionalProperties: false
			}
		}
	},
	{
		type: 'function',
		function: {
			name: 'get_subscription',
			description: "Get a customer's current subscription by account email.",
			parameters: {
				type: 'object',
				properties: { email: { type: 'string', description: 'The account email address' } },
				required: ['email'],
				additionalProperties: false
			}
		}
	}
];

function callId(): string {
	const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
	let s = 'call_';
	for (let i = 0; i < 24; i++) s += abc[Math.floor(rng() * abc.length)];
	return s;
}

function orderId(): string {
	return `AN-${int(10000, 99999)}`;
}

interface ToolScenario {
	user: string;
	name: 'lookup_order' | 'get_subscription';
	args: Record<string, string>;
	result: Record<string, unknown>;
	good: string;
	bad: { text: string; comment: string };
}

function toolScenario(kind: number, c: Ctx, time: number): ToolScenario {
	const card = `${pick(['Visa', 'Mastercard', 'Amex'])} ending ${int(1000, 9999)}`;
	if (kind === 0) {
		// refund request on a specific order, inside or outside the 30-day window
		const oid = orderId();
		const days = pick([3, 9, 16, 24, 41, 58, 75]);
		const date = time - days * DAY;
		const annual = chance(0.5);
		const amount = annual ? '$60.00' : '$6.00';
		const plan = annual ? 'Plus (annual)' : 'Plus (monthly)';
		const inside = days <= 30;
		const renew = date + (annual ? 365 : 30) * DAY;
		return {
			user: userMessage(
				c,
				`Can I get a refund for order ${oid}? ${pick(['I forgot to cancel.', 'I bought the wrong plan.', 'We moved to another tool.', "I didn't use it at all."])}`
			),
			name: 'lookup_order',
			args: { order_id: oid },
			result: {
				order_id: oid,
				date: isoDay(date),
				amount,
				plan,
				status: 'paid',
				payment_method: card
			},
			good: inside
				? `I've checked order ${oid}: ${amount} for ${plan}, charged on ${longDate(date)}. That's within our 30-day refund window, so you can get the full amount back. Go to Settings → Billing → Invoices and click "Request a refund" next to that order. The money reaches your ${card} within 5–10 business days, and your account moves to Free with all notes kept.`
				: `I've looked up order ${oid}: ${amount} for ${plan}, charged on ${longDate(date)}, which is ${days} days ago. Our refund window is 30 days from the charge, so I'm sorry, I can't refund this one. What I can do is make sure it doesn't renew: Settings → Billing → Cancel plan. You'll keep Plus until ${longDate(renew, true)}, and nothing else will be charged.`,
			bad: inside
				? {
						text: `I've checked order ${oid}. Unfortunately it's outside our refund window, so it isn't eligible for a refund, but you can cancel so it doesn't renew.`,
						comment: `order is from ${longDate(date)}, ${days} days ago, that IS within 30 days`
					}
				: {
						text: `Good news: order ${oid} (${amount}) is eligible for a full refund. I've submitted it, and you'll see the money on your ${card} within 5–10 business days.`,
						comment: `${days} days ago is outside the 30-day window, and the bot can't submit refunds`
					}
		};
	}
	if (kind === 1) {
		// a suspected double charge
		const oid = orderId();
		const oid2 = orderId();
		const date = time - int(1, 12) * DAY;
		const dup = chance(0.5);
		return {
			user: userMessage(
				c,
				`I see two charges of $6 from Acme Notes this month?? One of them is order ${oid}.`
			),
			name: 'lookup_order',
			args: { order_id: oid },
			result: {
				order_id: oid,
				date: isoDay(date),
				amount: '$6.00',
				plan: 'Plus (monthly)',
				status: 'paid',
				related_charges: [
					{ order_id: oid2, date: isoDay(date), amount: '$6.00', status: dup ? 'paid' : 'voided' }
				]
			},
			good: dup
				? `You're right, and I'm sorry: order ${oid2} on ${longDate(date)} is a duplicate of ${oid}. Because it's a duplicate and within 30 days, go to Settings → Billing → Invoices and click "Request a refund" next to ${oid2}; it's approved automatically and the $6.00 is back on your card within 5–10 business days. Your plan isn't affected.`
				: `I've checked: order ${oid} is your regular $6.00 Plus charge from ${longDate(date)}. The second one (${oid2}) was a card authorisation that was voided straight away, so it was never actually charged. Banks sometimes show these as pending for a few days; it will disappear from your statement on its own, usually within 3–5 business days.`,
			bad: dup
				? {
						text: `I've checked order ${oid} and there's only one charge of $6.00 on it, so you haven't been charged twice. The second line is probably a pending authorisation.`,
						comment: `wrong: the tool shows ${oid2} as paid, it IS a duplicate`
					}
				: {
						text: `You were charged twice, sorry about that! Request a refund for ${oid2} in Settings → Billing → Invoices and you'll get the $6.00 back.`,
						comment: `${oid2} was voided, nothing to refund. read the tool result`
					}
		};
	}
	if (kind === 2) {
		// renewal question
		const annual = chance(0.6);
		const renews = time + int(5, 300) * DAY;
		const cancelling = chance(0.3);
		const price = annual ? '$60.00' : '$6.00';
		const wrongDate = renews + int(20, 60) * DAY;
		return {
			user: userMessage(
				c,
				`When does my subscription renew and how much will it be? My account email is ${c.email}.`
			),
			name: 'get_subscription',
			args: { email: c.email },
			result: {
				email: c.email,
				plan: 'Plus',
				interval: annual ? 'year' : 'month',
				price,
				status: 'active',
				renews_on: isoDay(renews),
				cancel_at_period_end: cancelling
			},
			good: cancelling
				? `Your Plus plan is already set to cancel, so it won't renew: you keep Plus until ${longDate(renews, true)}, and after that the account moves to Free with no further charges. If you changed your mind, go to Settings → Billing and click "Resume plan" before then, and it will renew at ${price} per ${annual ? 'year' : 'month'} as before.`
				: `Your Plus plan renews on ${longDate(renews, true)} for ${price} (${annual ? 'yearly' : 'monthly'} billing). If you'd like to switch between monthly and yearly, or cancel, you can do that any time before then in Settings → Billing; yearly works out at $60 instead of $72. We also email a reminder a week before a yearly renewal.`,
			bad: {
				text: `Your Plus plan renews on ${longDate(wrongDate, true)} for ${annual ? '$72.00' : '$6.00'}. You can manage your subscription in Settings → Billing at any time before then.`,
				comment: `misread the tool result: renews ${longDate(renews)}${annual ? ', $60 not $72' : ''}${cancelling ? ', and it is set to cancel' : ''}`
			}
		};
	}
	// cancelled but charged again
	const oid = orderId();
	const charged = time - int(1, 10) * DAY;
	return {
		user: userMessage(c, `I cancelled last month but I was charged again! ${c.email}`),
		name: 'get_subscription',
		args: { email: c.email },
		result: {
			email: c.email,
			plan: 'Plus',
			interval: 'month',
			price: '$6.00',
			status: 'active',
			cancel_at_period_end: false,
			last_charge: { order_id: oid, date: isoDay(charged), amount: '$6.00' }
		},
		good: `Sorry about this. I checked and the cancellation didn't go through: your plan is still active and renewed on ${longDate(charged)} for $6.00 (order ${oid}). Since that charge is within 30 days, you can get it back in full: Settings → Billing → Invoices → "Request a refund". Then click Cancel plan on the same page; you'll see "Your plan ends on …" once it's done.`,
		bad: {
			text: `Your subscription shows as cancelled, so you shouldn't have been charged. It may be a pending charge from your bank that will disappear in a few days.`,
			comment: `contradicts the tool result: still active, charged on ${longDate(charged)} (${oid})`
		}
	};
}

function toolLog(kind: number): Draft {
	let time = randomTime();
	while (time < SWITCH) time = randomTime(); // the tools shipped with prompt v2
	let s: ToolScenario | null = null;
	let c: Ctx | null = null;
	for (let i = 0; i < 50 && !s; i++) {
		c = makeCtx(TOPICS[0]);
		const candidate = toolScenario(kind, c, time);
		if (!seenUser.has(candidate.user)) {
			seenUser.add(candidate.user);
			s = candidate;
		}
	}
	if (!s || !c) throw new Error('no fresh tool scenario');
	const id = callId();
	const reply: Reply = chance(0.4)
		? { text: padded(s.bad.text, 'v2', c), quality: 'wrong', comment: s.bad.comment }
		: { text: assemble([opener(c), s.good, signoff('v2')]), quality: 'good' };
	return {
		line: {
			messages: [
				{ role: 'system', content: TOOL_SYSTEM },
				{ role: 'user', content: s.user },
				{
					role: 'assistant',
					tool_calls: [
						{ id, type: 'function', function: { name: s.name, arguments: JSON.stringify(s.args) } }
					]
				},
				{ role: 'tool', tool_call_id: id, content: JSON.stringify(s.result) },
				{ role: 'assistant', content: reply.text }
			],
			tools: TOOLS,
			model: 'gpt-4.1-mini-2025-04-14',
			temperature: 0.7,
			created_at: new Date(time).toISOString()
		},
		reply,
		kind: 'tool',
		goodAlt: assemble([opener(c), s.good, signoff('v2')]),
		time
	};
}

function dpoLine(): DpoLine {
	const { t, c, user } = freshQuestion(pickWeightedTopic);
	const good = goodReply(c, pick(t.good)(c), 'v2');
	const bad = flawedReply(c, t, 'v2', chooseFlaw('v1'));
	return {
		input: {
			messages: [
				{ role: 'system', content: SYSTEM.v2 },
				{ role: 'user', content: user }
			]
		},
		preferred_output: [{ role: 'assistant', content: good }],
		non_preferred_output: [{ role: 'assistant', content: bad.text }]
	};
}

// ---------------------------------------------------------------------------------------------
// Feedback

function addFeedback(d: Draft): void {
	const good = d.reply.quality === 'good';
	const line = d.line;
	const labelled = chance(0.6);
	if (labelled) {
		// a little label noise: misclicks and changes of mind
		line.label = chance(0.05) ? !good : good;
	}
	if (chance(labelled ? 0.4 : 0.3)) {
		const q = d.reply.quality;
		line.rating =
			q === 'good'
				? weighted([
						[5, 6],
						[4, 3.5],
						[3, 0.5]
					])
				: q === 'long' || q === 'formal'
					? weighted([
							[3, 1],
							[2, 1]
						])
					: q === 'ignore'
						? weighted([
								[2, 1],
								[1, 1]
							])
						: weighted([
								[1, 3],
								[2, 1]
							]);
		if (line.label !== undefined && line.label !== good) {
			// a misclicked thumb usually sits next to an honest rating; keep them consistent enough
			line.rating = line.label ? Math.max(line.rating, 3) : Math.min(line.rating, 3);
		}
	}
	const negative = line.label === false || (line.rating !== undefined && line.rating <= 2);
	if (negative && !good && d.reply.comment && chance(0.6)) line.comment = d.reply.comment;
	if (good && line.label === true && chance(0.06)) {
		line.comment = pick(['perfect, exactly this tone', 'great, concise', 'good steps', 'nice']);
	}
}

// ---------------------------------------------------------------------------------------------
// Build

const drafts: Draft[] = [];
const multiTopics = TOPICS.filter((t) => t.follow);
for (const t of multiTopics) drafts.push(multiLog(t));
for (let i = 0; i < 15; i++) drafts.push(toolLog(i % 4));
while (drafts.length < 288 - 0) drafts.push(singleLog());
for (const d of drafts) addFeedback(d);

// corrections: ~20 of the 👎 lines, preferring those with a comment
const thumbsDown = shuffle(
	drafts.filter((d) => d.line.label === false && d.reply.quality !== 'good')
);
thumbsDown.sort(
	(a, b) => Number(b.line.comment !== undefined) - Number(a.line.comment !== undefined)
);
for (const d of thumbsDown.slice(0, 20)) d.line.correction = d.goodAlt;

drafts.sort((a, b) => a.time - b.time);

const dpo: DpoLine[] = Array.from({ length: 12 }, () => dpoLine());

// interleave DPO lines evenly through the file
const out: string[] = [];
const every = Math.floor(drafts.length / dpo.length);
let di = 0;
drafts.forEach((d, i) => {
	out.push(JSON.stringify(d.line));
	if ((i + 1) % every === Math.floor(every / 2) && di < dpo.length)
		out.push(JSON.stringify(dpo[di++]));
});
while (di < dpo.length) out.push(JSON.stringify(dpo[di++]));

// ---------------------------------------------------------------------------------------------
// Checks and summary

function assistantTexts(): string[] {
	const texts: string[] = [];
	for (const d of drafts) {
		for (const m of d.line.messages) if (m.role === 'assistant' && m.content) texts.push(m.content);
		if (d.line.correction) texts.push(d.line.correction);
	}
	for (const l of dpo)
		texts.push(l.preferred_output[0].content ?? '', l.non_preferred_output[0].content ?? '');
	return texts;
}

for (const text of assistantTexts()) {
	const n = words(text);
	if (n < 40 || n > 250) throw new Error(`assistant reply of ${n} words:\n${text}`);
}
if (new Set(out).size !== out.length) throw new Error('duplicate lines');

const body = out.join('\n') + '\n';
const bytes = Buffer.byteLength(body);
if (bytes > 600 * 1024) throw new Error(`demo file too large: ${bytes} bytes`);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const file = join(root, 'static', 'demo', 'support-replies.jsonl');
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, body);

const lines = drafts.map((d) => d.line);
const count = (f: (l: LogLine) => boolean) => lines.filter(f).length;
const lengths = assistantTexts().map(words);
console.log(`wrote ${file.slice(root.length + 1)} (${(bytes / 1024).toFixed(1)} KB)`);
console.log(
	[
		`lines:        ${out.length} (${drafts.length} logs + ${dpo.length} DPO)`,
		`single-turn:  ${drafts.filter((d) => d.kind === 'single').length}`,
		`multi-turn:   ${drafts.filter((d) => d.kind === 'multi').length}`,
		`tool calls:   ${drafts.filter((d) => d.kind === 'tool').length}`,
		`labels:       ${count((l) => l.label !== undefined)} (👍 ${count((l) => l.label === true)}, 👎 ${count((l) => l.label === false)})`,
		`ratings:      ${count((l) => l.rating !== undefined)}`,
		`comments:     ${count((l) => l.comment !== undefined)}`,
		`corrections:  ${count((l) => l.correction !== undefined)}`,
		`flawed:       ${drafts.filter((d) => d.reply.quality !== 'good').length} of ${drafts.length} logs`,
		`models:       ${count((l) => l.model.startsWith('gpt-4o'))} gpt-4o-mini, ${count((l) => l.model.startsWith('gpt-4.1'))} gpt-4.1-mini`,
		`dates:        ${lines[0].created_at} .. ${lines[lines.length - 1].created_at}`,
		`reply words:  ${Math.min(...lengths)}..${Math.max(...lengths)}`
	].join('\n')
);
