/**
 * Feedback as a user gives it: the review queue driven by the keyboard alone, pairwise choices on
 * a real DPO file, and bulk actions with undo. Every check reads back what IndexedDB holds after
 * a reload, not just what the page shows.
 */
import { expect, test, type Page } from '@playwright/test';
import {
	createProject,
	dataFile,
	dropFiles,
	fileFromPath,
	openEmptyApp,
	readStore,
	waitForImports
} from './fixtures';

/** A log row as IndexedDB holds it: thumb, corrected and hasFeedback only when not 0. */
interface StoredLog {
	id: string;
	thumb?: number;
	corrected?: number;
	tags: string[];
	reviewed?: number;
	hasFeedback?: number;
}

/** Logs without a 👍 or 👎 (no thumb stored), after checking that no 0 flag is stored. */
function unlabelled(logs: StoredLog[]): StoredLog[] {
	for (const log of logs)
		for (const flag of ['thumb', 'corrected', 'hasFeedback'] as const)
			expect(log[flag], `${log.id} stores ${flag} 0`).not.toBe(0);
	return logs.filter((log) => log.thumb === undefined);
}

interface StoredEvent {
	id: number;
	logId: string;
	actor: string;
	body: { kind: string; text?: string; output?: { content: string }; eventId?: number };
}

async function loadDemo(page: Page): Promise<void> {
	await openEmptyApp(page);
	await page.getByTestId('load-demo').click();
	await waitForImports(page);
}

const currentId = (page: Page) => page.getByTestId('review-item').getAttribute('data-log-id');

/** Waits until the queue shows a different log than `previous`. */
async function movedFrom(page: Page, previous: string | null): Promise<string> {
	await expect(page.getByTestId('review-item')).not.toHaveAttribute('data-log-id', previous ?? '');
	const id = await currentId(page);
	if (!id) throw new Error('no current log');
	return id;
}

test('reviews 20 demo logs with the keyboard only, and a reload keeps exactly that', async ({
	page
}) => {
	await loadDemo(page);
	await page.goto('/review');
	await expect(page.getByTestId('review-progress')).toContainText(/0 of 312 reviewed/);
	await expect(page.getByTestId('shortcut-legend')).toBeVisible();
	const before = new Map((await readStore<StoredLog>(page, 'logs')).map((log) => [log.id, log]));

	const expected = new Map<string, { thumb: number; corrected?: boolean; tag?: string }>();
	const comment = 'too formal, mention the refund policy';
	const addition = ' Refunds go back to the original card within 5 days.';
	let undoneId = '';
	let id = await movedFrom(page, null);

	for (let n = 0; n < 20; n++) {
		if (n === 0) {
			// A comment, then 👎.
			await page.keyboard.press('c');
			await expect(page.getByTestId('comment-input')).toBeFocused();
			await page.keyboard.type(comment);
			// Shortcuts do not fire while typing: "b" and "g" above went into the field.
			await page.keyboard.press('Enter');
			await expect(page.getByTestId('feedback-comment').last()).toHaveText(new RegExp(comment));
			await page.keyboard.press('b');
			expected.set(id, { thumb: -1 });
		} else if (n === 1) {
			// A correction with its diff, then 👍.
			await page.keyboard.press('e');
			await expect(page.getByTestId('correction-input')).toBeFocused();
			await page.keyboard.press('Control+End');
			await page.keyboard.type(addition);
			await expect(page.getByTestId('correction-editor').getByTestId('diff-view')).toContainText(
				'+10'
			);
			await page.keyboard.press('Control+Enter');
			const diff = page.getByTestId('feedback-correction').getByTestId('diff-view');
			await expect(diff.locator('ins')).toContainText('Refunds go back to the original card');
			await page.keyboard.press('g');
			expected.set(id, { thumb: 1, corrected: true });
		} else if (n === 2) {
			// A new tag typed into the tag field, then 👍.
			await page.keyboard.press('t');
			await expect(page.getByTestId('tag-input')).toBeFocused();
			await page.keyboard.type('tone');
			await page.keyboard.press('Enter');
			await expect(page.getByTestId('tag-toggle').filter({ hasText: 'tone' })).toHaveAttribute(
				'aria-pressed',
				'true'
			);
			await page.keyboard.press('g');
			expected.set(id, { thumb: 1, tag: 'tone' });
		} else if (n === 10) {
			// 👍 and then undo it: the log goes back to how it was, and the queue stays put.
			await page.keyboard.press('g');
			const next = await movedFrom(page, id);
			await page.keyboard.press('u');
			await expect(page.getByText('Undone: 👍')).toBeVisible();
			undoneId = id;
			id = next;
			// This log still gets judged below.
			await page.keyboard.press('b');
			expected.set(id, { thumb: -1 });
			id = await movedFrom(page, id);
			continue;
		} else {
			const good = n % 3 !== 0;
			await page.keyboard.press(good ? 'g' : 'b');
			expected.set(id, { thumb: good ? 1 : -1 });
		}
		id = await movedFrom(page, id);
	}
	expect(expected.size).toBe(20);
	await expect(page.getByTestId('review-progress')).toContainText(/20 of 312 reviewed/);

	await page.reload();
	await expect(page.getByTestId('review-progress')).toContainText(/20 of 312 reviewed/);
	// Unreviewed first: the queue picks up at a log nobody has judged.
	const resumed = await currentId(page);
	expect(expected.has(resumed ?? '')).toBe(false);

	const logs = new Map((await readStore<StoredLog>(page, 'logs')).map((log) => [log.id, log]));
	for (const [logId, want] of expected) {
		const log = logs.get(logId);
		expect(log, logId).toBeDefined();
		expect(log?.thumb, logId).toBe(want.thumb);
		expect(log?.reviewed, logId).toBe(1);
		// Some demo logs came with the end user's ideal answer: corrected before the review.
		expect(log?.corrected, logId).toBe(want.corrected ? 1 : before.get(logId)?.corrected);
		if (want.tag) expect(log?.tags).toContain(want.tag);
	}
	// The undone log is exactly as it was before the review.
	const undone = logs.get(undoneId);
	expect(undone?.reviewed).toBeUndefined();
	expect(undone?.thumb).toBe(before.get(undoneId)?.thumb);
	expect([...logs.values()].filter((log) => log.reviewed === 1)).toHaveLength(20);

	// The history is append-only: the undone 👍 and its undo are both there.
	const events = await readStore<StoredEvent>(page, 'feedback');
	const mine = events.filter((event) => event.actor === 'me');
	const undoneEvents = mine.filter((event) => event.logId === undoneId);
	expect(undoneEvents.map((event) => event.body.kind).sort()).toEqual(['thumb', 'undo']);
	const comments = mine.filter((event) => event.body.kind === 'comment');
	expect(comments.map((event) => event.body.text)).toEqual([comment]);
	const corrections = mine.filter((event) => event.body.kind === 'correction');
	expect(corrections).toHaveLength(1);
	expect(corrections[0].body.output?.content).toContain(addition.trim());

	// The log browser finds the same state through its filters.
	await page.goto('/logs');
	await page.getByTestId('filter-review').selectOption('reviewed');
	await expect(page.getByTestId('result-count')).toHaveText(/^20 of 312/);
	await page.getByTestId('filter-tag').selectOption('tone');
	await expect(page.getByTestId('result-count')).toHaveText(/^1 of 312/);
});

test('judgements made right before a reload are not lost', async ({ page }) => {
	await loadDemo(page);
	await page.goto('/review');
	await expect(page.getByTestId('review-progress')).toContainText(/0 of 312 reviewed/);
	// Four keys back to back…
	const judged: string[] = [];
	for (let i = 0; i < 4; i++) {
		const id = await currentId(page);
		if (!id) throw new Error('no current log');
		judged.push(id);
		await page.keyboard.press(i % 2 ? 'b' : 'g');
	}
	// …and a fifth whose page reloads in the very task that handled the key: its write has not
	// even started (writes wait for the frame that shows them), so only the journal has it.
	const last = await currentId(page);
	if (!last) throw new Error('no current log');
	judged.push(last);
	await Promise.all([
		page.waitForEvent('load'),
		page.evaluate(() => {
			document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'g', bubbles: true }));
			location.reload();
		})
	]);
	await expect(page.getByTestId('review-progress')).toContainText(/5 of 312 reviewed/);
	const logs = new Map((await readStore<StoredLog>(page, 'logs')).map((log) => [log.id, log]));
	expect(judged.map((id) => logs.get(id)?.thumb)).toEqual([1, -1, 1, -1, 1]);
	const events = await readStore<StoredEvent>(page, 'feedback');
	const mine = events.filter((event) => event.actor === 'me');
	expect(mine.map((event) => event.logId).sort()).toEqual([...judged].sort());
	// Nothing is left waiting in the journal once it is stored.
	await expect
		.poll(() =>
			page.evaluate(
				() => Object.keys(localStorage).filter((k) => k.includes('feedback-journal')).length
			)
		)
		.toBe(0);
});

test('pairwise: compare DPO outputs side by side, choose with keys, keep choices over a reload', async ({
	page
}) => {
	await openEmptyApp(page);
	await createProject(page, 'Orca pairs');
	await dropFiles(page, [
		fileFromPath(dataFile('formats/foundry-orca_dpo_pairs.validation.jsonl'))
	]);
	await waitForImports(page);
	await page.goto('/compare');
	const progress = page.getByTestId('pair-progress');
	await expect(progress).toContainText(/Pair 1 of \d+/);
	const pairs = Number((await progress.textContent())?.match(/of (\d+)/)?.[1]);
	expect(pairs).toBeGreaterThan(10);
	// The file's own preference is shown as imported.
	await expect(page.getByTestId('verdict')).toContainText('(by the imported data)');
	// The shared input is shown alone: the two outputs are the sides, not an empty reply above them.
	const shared = page.getByRole('region', { name: 'Shared input' });
	await expect(shared.locator('[data-role="user"]')).not.toHaveCount(0);
	await expect(shared.locator('[data-role="assistant"]')).toHaveCount(0);
	const first = await page.getByTestId('pair').getAttribute('data-a');

	await page.keyboard.press('b');
	await expect(progress).toContainText('Pair 2 of');
	await page.keyboard.press('t');
	await expect(progress).toContainText('Pair 3 of');
	await expect(progress).toContainText('2 decided by you');
	await page.keyboard.press('k');
	await page.keyboard.press('k');
	await expect(page.getByTestId('pair')).toHaveAttribute('data-a', first ?? '');
	await expect(page.getByTestId('verdict')).toHaveText('B is better (by you)');
	await expect(page.getByTestId('side-b')).toContainText('preferred');

	await page.reload();
	await expect(progress).toContainText('2 decided by you');
	await expect(page.getByTestId('verdict')).toHaveText('B is better (by you)');
	await page.keyboard.press('j');
	await expect(page.getByTestId('verdict')).toHaveText('Tie (by you)');

	const events = await readStore<StoredEvent & { body: { choice?: string } }>(page, 'feedback');
	const mine = events.filter((event) => event.actor === 'me' && event.body.kind === 'pairwise');
	expect(mine).toHaveLength(2);
});

test('bulk: label every matching log, then undo; delete two logs, then undo', async ({ page }) => {
	await loadDemo(page);
	await page.goto('/logs');
	const count = page.getByTestId('result-count');
	await page.getByLabel('Label').selectOption('none');
	await expect(count).toHaveAttribute('aria-busy', 'false');
	const unjudged = Number((await count.textContent())?.match(/^(\d+)/)?.[1]);
	expect(unjudged).toBeGreaterThan(50);

	await page.getByTestId('select-all').click();
	await expect(page.getByTestId('bulk-bar')).toContainText(`${unjudged} selected`);
	await page.getByTestId('bulk-up').click();
	await expect(page.getByText(`Marked ${unjudged} logs 👍`)).toBeVisible();
	let logs = await readStore<StoredLog>(page, 'logs');
	expect(unlabelled(logs)).toHaveLength(0);

	await page.getByRole('button', { name: 'Undo' }).first().click();
	await expect(page.getByText(`Undone: 👍 on ${unjudged} logs`)).toBeVisible();
	logs = await readStore<StoredLog>(page, 'logs');
	expect(unlabelled(logs)).toHaveLength(unjudged);

	// Redo with the keyboard, then undo again.
	await page.locator('body').click({ position: { x: 5, y: 400 } });
	await page.keyboard.press('Control+Shift+Z');
	await expect(page.getByText(`Redone: 👍 on ${unjudged} logs`)).toBeVisible();
	await page.keyboard.press('Control+Z');
	await expect(page.getByText(`Undone: 👍 on ${unjudged} logs`)).toHaveCount(2);
	logs = await readStore<StoredLog>(page, 'logs');
	expect(unlabelled(logs)).toHaveLength(unjudged);

	// Delete two logs (with their feedback), then undo.
	await page.getByLabel('Label').selectOption('any');
	await page.getByTestId('bulk-bar').getByRole('button', { name: 'Clear' }).click();
	await page.getByTestId('log-check').nth(0).check();
	await page.getByTestId('log-check').nth(1).check();
	const eventsBefore = (await readStore<StoredEvent>(page, 'feedback')).length;
	await page.getByTestId('bulk-delete').click();
	await page.getByTestId('bulk-delete-confirm').click();
	await expect(page.getByText('Deleted 2 logs')).toBeVisible();
	await expect(count).toHaveText(/^310 of 310/);
	await page.getByRole('button', { name: 'Undo' }).first().click();
	await expect(count).toHaveText(/^312 of 312/);
	expect(await readStore<StoredEvent>(page, 'feedback')).toHaveLength(eventsBefore);
});
