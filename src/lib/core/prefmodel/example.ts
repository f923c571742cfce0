/** One output to judge and the input it answers (plain text), as the features see it. */
export interface Example {
	input: string;
	output: string;
}
