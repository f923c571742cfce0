/**
 * Runs work right after the next frame is painted, so it never delays that frame: the review
 * queue's prefetch and counts wait here while the key's own update paints.
 *
 * A message posted from a requestAnimationFrame callback is handled after that frame's paint. A
 * hidden tab runs no frames, so a timer runs the work anyway after a short while; whichever comes
 * first runs it, once.
 */
export function afterPaint(work: () => void): void {
	if (typeof requestAnimationFrame !== 'function' || typeof MessageChannel !== 'function') {
		setTimeout(work, 0);
		return;
	}
	let done = false;
	const run = () => {
		if (done) return;
		done = true;
		work();
	};
	requestAnimationFrame(() => {
		const channel = new MessageChannel();
		channel.port1.onmessage = run;
		channel.port2.postMessage(null);
	});
	setTimeout(run, 100);
}
