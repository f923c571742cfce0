/** Number, size, duration and date formatting shared by the pages. */

const numberFormat = new Intl.NumberFormat('en-US');

export function formatNumber(n: number): string {
	return numberFormat.format(n);
}

export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	const units = ['KB', 'MB', 'GB', 'TB'];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit += 1;
	}
	return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function formatDuration(seconds: number): string {
	if (!Number.isFinite(seconds)) return '—';
	if (seconds < 1) return '<1 s';
	if (seconds < 60) return `${Math.round(seconds)} s`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
	return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

// One formatter for every date: `toLocaleString` with options builds a new one per call, which
// costs most of a millisecond (too much for a row or a review key).
const dateFormat = new Intl.DateTimeFormat('en-GB', {
	year: 'numeric',
	month: 'short',
	day: 'numeric',
	hour: '2-digit',
	minute: '2-digit'
});

export function formatDate(ms: number): string {
	return dateFormat.format(ms);
}
