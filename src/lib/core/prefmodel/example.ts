/** One output to judge, with the input it answers (both as plain text). */
export interface Example {
	input: string;
	output: string;
	/** Sentence embedding of the output, when the feature configuration asks for one. */
	embedding?: Float32Array;
}
