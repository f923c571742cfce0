/**
 * Renders the Tuneloop app icons with node built-ins only (no canvas, no image libraries):
 * shapes are signed-distance functions, antialiased by their distance to the pixel centre, and
 * the PNGs are written by hand (zlib deflate + CRC-32). The same geometry is also written out as
 * static/icons/icon.svg, the vector source.
 *
 * The logo: an indigo rounded square with a white clockwise loop arrow (the feedback loop)
 * around a bold "T" (Tuneloop).
 *
 * Outputs: static/icons/icon.svg, icon-192.png and icon-512.png (rounded square, purpose
 * "any"), and maskable-512.png (full-bleed square, purpose "maskable"; the mark sits inside the
 * 80% safe zone).
 *
 * Run: node scripts/make-icons.mjs
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

// Geometry, in units of the icon's side (0..1, y down).
const CORNER = 0.22; // background corner radius
const RING = { cx: 0.5, cy: 0.5, r: 0.27, w: 0.085 };
const ARC_START = (-10 * Math.PI) / 180; // round cap here
const ARC_END = (280 * Math.PI) / 180; // arrowhead here, pointing clockwise
const HEAD = { half: 0.095, len: 0.12, round: 0.012 };
const T_BAR = { x0: 0.385, x1: 0.615, y: 0.405, h: 0.078 };
const T_STEM = { x: 0.5, y0: 0.405, y1: 0.63, w: 0.078 };
const T_ROUND = 0.02;

const TOP = [0x4f, 0x46, 0xe5]; // #4f46e5
const BOTTOM = [0x43, 0x38, 0xca]; // #4338ca

// --- signed distance functions ---------------------------------------------------------------

/** @param {number} px @param {number} py @param {number} cx @param {number} cy
 *  @param {number} hw @param {number} hh @param {number} r */
function sdRoundBox(px, py, cx, cy, hw, hh, r) {
	const qx = Math.abs(px - cx) - hw + r;
	const qy = Math.abs(py - cy) - hh + r;
	return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

/**
 * Arc of a circle from a0 to a1 (radians, a1 > a0, clockwise on screen), stroked w wide.
 * @param {number} px @param {number} py @param {typeof RING} ring @param {number} a0 @param {number} a1
 */
function sdArc(px, py, { cx, cy, r, w }, a0, a1) {
	const dx = px - cx;
	const dy = py - cy;
	let a = Math.atan2(dy, dx);
	while (a < a0) a += 2 * Math.PI;
	if (a <= a1) return Math.abs(Math.hypot(dx, dy) - r) - w / 2;
	const e0 = Math.hypot(px - (cx + r * Math.cos(a0)), py - (cy + r * Math.sin(a0)));
	const e1 = Math.hypot(px - (cx + r * Math.cos(a1)), py - (cy + r * Math.sin(a1)));
	return Math.min(e0, e1) - w / 2;
}

/** @typedef {[number, number]} Pt */

/**
 * Exact signed distance to a triangle (negative inside).
 * @param {number} px @param {number} py @param {Pt} a @param {Pt} b @param {Pt} c
 */
function sdTriangle(px, py, [ax, ay], [bx, by], [cx, cy]) {
	const edges = [
		[ax, ay, bx, by],
		[bx, by, cx, cy],
		[cx, cy, ax, ay]
	];
	let d = Infinity;
	let s = 1;
	const orient = Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax));
	for (const [x0, y0, x1, y1] of edges) {
		const ex = x1 - x0;
		const ey = y1 - y0;
		const wx = px - x0;
		const wy = py - y0;
		const t = Math.max(0, Math.min(1, (wx * ex + wy * ey) / (ex * ex + ey * ey)));
		d = Math.min(d, Math.hypot(wx - ex * t, wy - ey * t));
		if (orient * (ex * wy - ey * wx) < 0) s = -1;
	}
	return s === 1 ? -d : d; // inside when on the inner side of every edge
}

const head = (() => {
	const { cx, cy, r } = RING;
	const ex = cx + r * Math.cos(ARC_END);
	const ey = cy + r * Math.sin(ARC_END);
	const tx = -Math.sin(ARC_END); // tangent, direction of travel
	const ty = Math.cos(ARC_END);
	const nx = Math.cos(ARC_END); // outward normal
	const ny = Math.sin(ARC_END);
	const back = 0.01; // overlap the stroke end so there is no seam
	/** @type {Pt[]} */
	const tri = [
		[ex - tx * back + nx * HEAD.half, ey - ty * back + ny * HEAD.half],
		[ex - tx * back - nx * HEAD.half, ey - ty * back - ny * HEAD.half],
		[ex + tx * HEAD.len, ey + ty * HEAD.len]
	];
	return tri;
})();

// Shrink the triangle about its incentre by the rounding radius, so rounding keeps its size.
const headInner = (() => {
	const [a, b, c] = head;
	const la = Math.hypot(b[0] - c[0], b[1] - c[1]);
	const lb = Math.hypot(c[0] - a[0], c[1] - a[1]);
	const lc = Math.hypot(a[0] - b[0], a[1] - b[1]);
	const p = la + lb + lc;
	const ix = (la * a[0] + lb * b[0] + lc * c[0]) / p;
	const iy = (la * a[1] + lb * b[1] + lc * c[1]) / p;
	const area = Math.abs((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])) / 2;
	const k = 1 - HEAD.round / ((2 * area) / p);
	return head.map(([x, y]) => /** @type {Pt} */ ([ix + (x - ix) * k, iy + (y - iy) * k]));
})();

/** @param {number} x @param {number} y */
function sdMark(x, y) {
	const ring = sdArc(x, y, RING, ARC_START, ARC_END);
	const arrow = sdTriangle(x, y, headInner[0], headInner[1], headInner[2]) - HEAD.round;
	const bar = sdRoundBox(
		x,
		y,
		(T_BAR.x0 + T_BAR.x1) / 2,
		T_BAR.y,
		(T_BAR.x1 - T_BAR.x0) / 2,
		T_BAR.h / 2,
		T_ROUND
	);
	const stem = sdRoundBox(
		x,
		y,
		T_STEM.x,
		(T_STEM.y0 + T_STEM.y1) / 2,
		T_STEM.w / 2,
		(T_STEM.y1 - T_STEM.y0) / 2,
		T_ROUND
	);
	return Math.min(ring, arrow, bar, stem);
}

// --- rendering --------------------------------------------------------------------------------

/** @param {number} d @param {number} size */
const cover = (d, size) => Math.max(0, Math.min(1, 0.5 - d * size));

/** @param {number} size @param {boolean} rounded */
function render(size, rounded) {
	const px = Buffer.alloc(size * size * 4);
	for (let j = 0; j < size; j++) {
		const y = (j + 0.5) / size;
		const t = y;
		const bg = TOP.map((c, i) => c + (BOTTOM[i] - c) * t);
		for (let i = 0; i < size; i++) {
			const x = (i + 0.5) / size;
			const alpha = rounded ? cover(sdRoundBox(x, y, 0.5, 0.5, 0.5, 0.5, CORNER), size) : 1;
			const m = cover(sdMark(x, y), size);
			const o = (j * size + i) * 4;
			for (let c = 0; c < 3; c++) px[o + c] = Math.round(bg[c] + (255 - bg[c]) * m);
			px[o + 3] = Math.round(alpha * 255);
		}
	}
	return px;
}

// --- PNG encoding -----------------------------------------------------------------------------

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

/** @param {Uint8Array} buf */
function crc32(buf) {
	let c = 0xffffffff;
	for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

/** @param {string} type @param {Buffer} data */
function chunk(type, data) {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(body));
	return Buffer.concat([len, body, crc]);
}

/** @param {number} size @param {Buffer} rgba */
function png(size, rgba) {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0);
	ihdr.writeUInt32BE(size, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 6; // RGBA
	const raw = Buffer.alloc(size * (size * 4 + 1));
	for (let y = 0; y < size; y++) {
		raw[y * (size * 4 + 1)] = 0; // filter: none
		rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		chunk('IHDR', ihdr),
		chunk('IDAT', deflateSync(raw, { level: 9 })),
		chunk('IEND', Buffer.alloc(0))
	]);
}

// --- SVG source (same geometry, 512 units) ---------------------------------------------------

function svg() {
	/** @param {number} v */
	const u = (v) => +(v * 512).toFixed(2);
	/** @param {number[]} c */
	const hex = (c) => '#' + c.map((v) => v.toString(16).padStart(2, '0')).join('');
	const { cx, cy, r, w } = RING;
	const sx = cx + r * Math.cos(ARC_START);
	const sy = cy + r * Math.sin(ARC_START);
	const ex = cx + r * Math.cos(ARC_END);
	const ey = cy + r * Math.sin(ARC_END);
	const large = ARC_END - ARC_START > Math.PI ? 1 : 0;
	const tri = headInner.map(([x, y]) => `${u(x)},${u(y)}`).join(' ');
	return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512">
	<title>Tuneloop</title>
	<defs>
		<linearGradient id="bg" x1="0" y1="0" x2="0" y2="1">
			<stop offset="0" stop-color="${hex(TOP)}"/>
			<stop offset="1" stop-color="${hex(BOTTOM)}"/>
		</linearGradient>
	</defs>
	<rect width="512" height="512" rx="${u(CORNER)}" fill="url(#bg)"/>
	<g fill="#fff">
		<path d="M${u(sx)} ${u(sy)}A${u(r)} ${u(r)} 0 ${large} 1 ${u(ex)} ${u(ey)}" fill="none" stroke="#fff" stroke-width="${u(w)}" stroke-linecap="round"/>
		<polygon points="${tri}" stroke="#fff" stroke-width="${u(2 * HEAD.round)}" stroke-linejoin="round"/>
		<rect x="${u(T_BAR.x0)}" y="${u(T_BAR.y - T_BAR.h / 2)}" width="${u(T_BAR.x1 - T_BAR.x0)}" height="${u(T_BAR.h)}" rx="${u(T_ROUND)}"/>
		<rect x="${u(T_STEM.x - T_STEM.w / 2)}" y="${u(T_STEM.y0)}" width="${u(T_STEM.w)}" height="${u(T_STEM.y1 - T_STEM.y0)}" rx="${u(T_ROUND)}"/>
	</g>
</svg>
`;
}

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'static', 'icons');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'icon.svg'), svg());
console.log('wrote static/icons/icon.svg');
/** @type {[string, number, boolean][]} */
const OUTPUTS = [
	['icon-192.png', 192, true],
	['icon-512.png', 512, true],
	['maskable-512.png', 512, false]
];
for (const [name, size, rounded] of OUTPUTS) {
	const file = png(size, render(size, rounded));
	writeFileSync(join(dir, name), file);
	console.log(`wrote static/icons/${name} (${size}x${size}, ${file.length} bytes)`);
}
