/**
 * The file-wide advice OpenAI's `prepare_data` gave for `{prompt, completion}` files, worked out
 * in one pass: a common separator at the end of prompts, a common stop sequence at the end of
 * completions, no shared prefixes (they cost tokens and teach nothing), completions starting
 * with a space, not mostly uppercase, and whether the task looks like classification.
 */
import type { FindingList } from './findings';
import type { LegacyTexts } from './legacy';

function commonPrefix(a: string, b: string): string {
	const n = Math.min(a.length, b.length);
	let i = 0;
	while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
	return i === a.length ? a : a.slice(0, i);
}

function commonSuffix(a: string, b: string): string {
	const n = Math.min(a.length, b.length);
	let i = 0;
	while (i < n && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
	return i === a.length ? a : a.slice(a.length - i);
}

const show = (text: string) => JSON.stringify(text.length > 40 ? `${text.slice(0, 39)}…` : text);

/** Distinct completions tracked for the classification hint; past this it is not one. */
const MAX_CLASSES = 50;

export class LegacyAdvice {
	#n = 0;
	#promptPrefix: string | null = null;
	#promptSuffix: string | null = null;
	#completionPrefix: string | null = null;
	#completionSuffix: string | null = null;
	#noLeadingSpace: number[] = [];
	#noLeadingSpaceCount = 0;
	#upper = 0;
	#letters = 0;
	#classes = new Set<string>();

	add(texts: LegacyTexts, line: number): void {
		const { prompt, completion } = texts;
		this.#n++;
		this.#promptPrefix =
			this.#promptPrefix === null ? prompt : commonPrefix(this.#promptPrefix, prompt);
		this.#promptSuffix =
			this.#promptSuffix === null ? prompt : commonSuffix(this.#promptSuffix, prompt);
		this.#completionPrefix =
			this.#completionPrefix === null
				? completion
				: commonPrefix(this.#completionPrefix, completion);
		this.#completionSuffix =
			this.#completionSuffix === null
				? completion
				: commonSuffix(this.#completionSuffix, completion);
		if (completion !== '' && !/^\s/.test(completion)) {
			this.#noLeadingSpaceCount++;
			if (this.#noLeadingSpace.length < 1000) this.#noLeadingSpace.push(line);
		}
		for (const text of [prompt, completion]) {
			for (let i = 0; i < text.length; i++) {
				const c = text.charCodeAt(i);
				if (c >= 65 && c <= 90) {
					this.#upper++;
					this.#letters++;
				} else if (c >= 97 && c <= 122) this.#letters++;
			}
		}
		if (this.#classes.size <= MAX_CLASSES) this.#classes.add(completion.trim());
	}

	finish(findings: FindingList): void {
		const n = this.#n;
		if (n === 0) return;
		const promptSuffix = this.#promptSuffix ?? '';
		const completionSuffix = this.#completionSuffix ?? '';
		if (n > 1 && promptSuffix === '')
			findings.warning(
				'legacy-no-separator',
				null,
				'Prompts do not end with a common separator: add one (e.g. "\\n\\n###\\n\\n") to every prompt so the model knows where the completion starts, and end your prompts with it when you use the model'
			);
		if (n > 1 && completionSuffix === '')
			findings.warning(
				'legacy-no-stop',
				null,
				'Completions do not end with a common stop sequence: add one (e.g. "\\n" or " END") to every completion and pass it as `stop` when you use the model'
			);
		const promptPrefix = this.#promptPrefix ?? '';
		if (n > 1 && promptPrefix.trim().length > 0)
			findings.warning(
				'legacy-prompt-prefix',
				null,
				`Every prompt starts with ${show(promptPrefix)}: fine-tuning needs no instruction repeated in each prompt; removing it saves tokens`
			);
		const completionPrefix = this.#completionPrefix ?? '';
		if (n > 1 && completionPrefix.trim().length > 0)
			findings.warning(
				'legacy-completion-prefix',
				null,
				`Every completion starts with ${show(completionPrefix)}: put only the output in the completion`
			);
		if (this.#noLeadingSpaceCount > 0)
			findings.warning(
				'legacy-no-leading-space',
				this.#noLeadingSpace[0],
				`${this.#noLeadingSpaceCount} of ${n} completions do not start with a space: with the GPT tokenizers a completion that starts with one (" Business") tends to train better`,
				this.#noLeadingSpace
			);
		if (this.#letters > 0 && this.#upper / this.#letters > 1 / 3)
			findings.warning(
				'legacy-uppercase',
				null,
				`${Math.round((100 * this.#upper) / this.#letters)}% of the letters are uppercase: mostly-uppercase text tokenizes poorly; consider lowercasing it`
			);
		const classes = this.#classes.size;
		if (n >= 10 && classes <= MAX_CLASSES && classes <= n / 4)
			findings.warning(
				'legacy-classification',
				null,
				`Looks like a classification task (${classes} distinct completions over ${n} examples): make sure each class has enough examples, and prefer labels that are a single token`
			);
	}

	/** The separators found, for the report's statistics. */
	get separators(): { promptSuffix: string; completionSuffix: string } {
		return {
			promptSuffix: this.#promptSuffix ?? '',
			completionSuffix: this.#completionSuffix ?? ''
		};
	}
}
