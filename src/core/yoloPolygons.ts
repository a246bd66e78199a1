// YOLO segmentation export (Ultralytics' format, docs/exports.md): one .txt per photo, one line per polygon
// `class x1 y1 x2 y2 …`, coordinates divided by the photo's width and height (0..1); class names in a classes file.
//
// Tracing: each class's 0/1 mask goes through d3-contour (marching squares at threshold 0.5). Its vertices lie
// half-way between pixel centres, so a ring passes between every pair of neighbouring pixel centres of which one is
// in and one out: rasterizing the polygons by pixel centres (the usual rule) gives back the mask exactly. Exactly
// collinear vertices are dropped (lossless). One line per polygon d3-contour gives: a 4-connected region of the class
// (pieces touching only at a corner become separate lines — no polygon can join them without a self-touching
// pinch). Background (class 0) and IGNORE_LABEL are not traced.
//
// Holes: YOLO has none — a line is one ring. Each hole is cut into its polygon's ring through a zero-width bridge: a
// horizontal segment from the hole's leftmost crossing of a line y = k/2 + 1/4 (never a vertex's y) to the nearest
// ring edge on its left, walked there and back. The two walks cancel under both fill rules (even-odd: two crossings;
// nonzero: +1 and −1), so the polygon fills the region minus its holes; the bridge crosses no edge, so the ring is
// weakly simple (it only touches itself along the bridge). An island inside a hole is a polygon of its own, line of
// its own. d3-contour gives each hole to the first polygon, in the order its rings closed, whose outer ring contains
// it — right only because inner rings close first in its scan; here each hole goes to the smallest outer ring
// around it, whatever the order.
import { contours } from 'd3-contour';
import { BACKGROUND_CLASS } from './cocoExport.ts';
import { IGNORE_LABEL, type LabelSet } from './types.ts';

type Point = [number, number];
type Ring = Point[];

/** One traced polygon of one class, in pixel coordinates (0..width, 0..height), holes bridged in. */
export interface ClassPolygon {
  classIndex: number;
  /** x0, y0, x1, y1, … (the ring is closed implicitly: the last point joins the first). */
  points: number[];
}

export interface YoloExportOptions {
  /** Decimals of the normalized coordinates (default 6: ≤ 0.0003 px off on a 640 px photo). */
  decimals?: number;
}

/** Class names, one per line in class-index order (line i = YOLO class i = the studio's class i), with background. */
export function yoloClassesFile(labelSet: LabelSet): string {
  for (const c of labelSet.classes) {
    if (/[\r\n]/.test(c.name)) throw new RangeError(`class name ${JSON.stringify(c.name)} has a line break`);
  }
  return labelSet.classes.map((c) => c.name + '\n').join('');
}

/** Every class's polygons (classes in index order, polygons by their top-left vertex), holes bridged in. */
export function traceClassPolygons(classes: Uint8Array, width: number, height: number): ClassPolygon[] {
  if (classes.length !== width * height) throw new RangeError(`${classes.length} class values for ${width}×${height} pixels`);
  // Bounding box per class, to trace each on its own crop.
  const x0 = new Int32Array(256).fill(width);
  const y0 = new Int32Array(256).fill(height);
  const x1 = new Int32Array(256).fill(-1);
  const y1 = new Int32Array(256).fill(-1);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i++) {
      const c = classes[i];
      if (x < x0[c]) x0[c] = x;
      if (x > x1[c]) x1[c] = x;
      if (y < y0[c]) y0[c] = y;
      if (y > y1[c]) y1[c] = y;
    }
  }
  const out: ClassPolygon[] = [];
  for (let c = 0; c < 256; c++) {
    if (x1[c] < 0 || c === BACKGROUND_CLASS || c === IGNORE_LABEL) continue;
    const w = x1[c] - x0[c] + 1;
    const h = y1[c] - y0[c] + 1;
    const grid = new Array<number>(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0, row = (y + y0[c]) * width + x0[c]; x < w; x++) grid[y * w + x] = classes[row + x] === c ? 1 : 0;
    }
    const traced = contours().size([w, h]).contour(grid, 0.5);
    const rings: Ring[] = [];
    for (const polygon of traced.coordinates) {
      for (const ring of polygon) {
        const pts = ring.slice(0, -1).map(([x, y]) => [x + x0[c], y + y0[c]] as Point); // d3 repeats the first point
        rings.push(dropCollinear(pts));
      }
    }
    for (const polygon of nestRings(rings)) {
      const points: number[] = [];
      for (const [x, y] of bridgeHoles(polygon.outer, polygon.holes)) points.push(x, y);
      out.push({ classIndex: c, points });
    }
  }
  return out;
}

/** The YOLO segmentation .txt of one photo: a line `class x y x y …` per polygon, normalized to 0..1. */
export function yoloSegmentationTxt(classes: Uint8Array, width: number, height: number, options: YoloExportOptions = {}): string {
  const decimals = options.decimals ?? 6;
  const fmt = (v: number) => String(Number(v.toFixed(decimals)));
  return traceClassPolygons(classes, width, height)
    .map(({ classIndex, points }) => [classIndex, ...points.map((v, i) => fmt(v / (i % 2 === 0 ? width : height)))].join(' ') + '\n')
    .join('');
}

/** Lines of a YOLO segmentation .txt: class and normalized x, y pairs. */
export function parseYoloSegmentation(text: string): { classIndex: number; points: number[] }[] {
  const lines: { classIndex: number; points: number[] }[] = [];
  text.split(/\r?\n/).forEach((line, n) => {
    const fields = line.trim().split(/\s+/).filter((f) => f !== '');
    if (fields.length === 0) return;
    const numbers = fields.map(Number);
    const classIndex = numbers[0];
    const points = numbers.slice(1);
    if (!Number.isInteger(classIndex) || classIndex < 0 || numbers.some((v) => !Number.isFinite(v)) || points.length < 6 || points.length % 2 !== 0) {
      throw new RangeError(`line ${n + 1}: expected 'class x1 y1 x2 y2 x3 y3 …'`);
    }
    lines.push({ classIndex, points });
  });
  return lines;
}

/**
 * Fills polygons (flat x, y pixel coordinates) into a mask: a pixel is inside a polygon when its centre is, by
 * the even-odd rule (default) or nonzero winding; each polygon is filled on its own and the results joined
 * (what Ultralytics, OpenCV's fillPoly per polygon and CVAT do with one polygon per object).
 */
export function rasterizePolygons(
  polygons: readonly ArrayLike<number>[],
  width: number,
  height: number,
  options: { rule?: 'evenodd' | 'nonzero'; into?: Uint8Array; value?: number } = {},
): Uint8Array {
  const mask = options.into ?? new Uint8Array(width * height);
  const value = options.value ?? 1;
  const nonzero = options.rule === 'nonzero';
  for (const pts of polygons) {
    const n = pts.length >> 1;
    const rows: number[][] = []; // per row: crossing x, winding direction, x, direction, …
    for (let i = 0; i < n; i++) {
      const ax = pts[2 * i];
      const ay = pts[2 * i + 1];
      const j = (i + 1) % n;
      const bx = pts[2 * j];
      const by = pts[2 * j + 1];
      if (ay === by) continue;
      // Rows whose centre yc satisfies min(ay, by) ≤ yc < max(ay, by).
      const top = Math.max(0, Math.ceil(Math.min(ay, by) - 0.5));
      const bottom = Math.min(height, Math.ceil(Math.max(ay, by) - 0.5));
      for (let y = top; y < bottom; y++) {
        const yc = y + 0.5;
        (rows[y] ??= []).push(ax + ((yc - ay) * (bx - ax)) / (by - ay), by > ay ? 1 : -1);
      }
    }
    rows.forEach((crossings, y) => {
      const order = Array.from({ length: crossings.length / 2 }, (_, k) => k).sort((a, b) => crossings[2 * a] - crossings[2 * b]);
      let winding = 0;
      let start = 0;
      for (const k of order) {
        const x = crossings[2 * k];
        const before = winding;
        winding = nonzero ? winding + crossings[2 * k + 1] : winding ^ 1;
        if (before === 0 && winding !== 0) start = x;
        else if (before !== 0 && winding === 0) {
          // Pixels whose centre (px + 0.5) lies in [start, x).
          const from = Math.max(0, Math.ceil(start - 0.5));
          const to = Math.min(width, Math.ceil(x - 0.5));
          if (to > from) mask.fill(value, y * width + from, y * width + to);
        }
      }
    });
  }
  return mask;
}

/** Class map (0 where no polygon) of a YOLO segmentation .txt: the decoder of `yoloSegmentationTxt`. */
export function yoloToClassMap(text: string, width: number, height: number, options: { rule?: 'evenodd' | 'nonzero' } = {}): Uint8Array {
  const classes = new Uint8Array(width * height);
  for (const { classIndex, points } of parseYoloSegmentation(text)) {
    const pixels = points.map((v, i) => v * (i % 2 === 0 ? width : height));
    rasterizePolygons([pixels], width, height, { rule: options.rule, into: classes, value: classIndex });
  }
  return classes;
}

// --- rings ----------------------------------------------------------------------------------------------------

/** d3-contour's signed area: > 0 for outer rings, < 0 for holes. */
function signedArea(ring: Ring): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j][1] * ring[i][0] - ring[j][0] * ring[i][1];
  return a;
}

/** Drops vertices exactly on the line through their neighbours (coordinates are multiples of 0.5: exact). */
function dropCollinear(ring: Ring): Ring {
  const straight = (a: Point, b: Point, c: Point) => {
    const ux = b[0] - a[0];
    const uy = b[1] - a[1];
    const vx = c[0] - b[0];
    const vy = c[1] - b[1];
    return ux * vy - uy * vx === 0 && ux * vx + uy * vy > 0;
  };
  const out: Ring = [];
  for (const p of ring) {
    out.push(p);
    while (out.length >= 3 && straight(out[out.length - 3], out[out.length - 2], out[out.length - 1])) out.splice(out.length - 2, 1);
  }
  for (let changed = true; changed && out.length > 3; ) {
    changed = false;
    if (straight(out[out.length - 2], out[out.length - 1], out[0])) {
      out.pop();
      changed = true;
    } else if (straight(out[out.length - 1], out[0], out[1])) {
      out.shift();
      changed = true;
    }
  }
  return out;
}

/** Whether a point lies inside a ring (even-odd; the point is never on the ring here: rings do not touch). */
function inside(ring: Ring, [x, y]: Point): boolean {
  let c = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/** Outer rings with their holes: each hole goes to the smallest outer ring around it. Ordered by top-left vertex. */
function nestRings(rings: Ring[]): { outer: Ring; holes: Ring[] }[] {
  const outers = rings
    .filter((r) => signedArea(r) > 0)
    .map((outer) => ({ outer, holes: [] as Ring[], area: signedArea(outer), box: bounds(outer), first: topLeft(outer) }));
  for (const hole of rings.filter((r) => signedArea(r) < 0)) {
    const p = hole[0];
    let best: (typeof outers)[number] | undefined;
    for (const o of outers) {
      if (p[0] < o.box[0] || p[0] > o.box[2] || p[1] < o.box[1] || p[1] > o.box[3]) continue;
      if ((!best || o.area < best.area) && inside(o.outer, p)) best = o;
    }
    if (!best) throw new Error('a hole outside every outer ring'); // cannot happen with marching squares
    best.holes.push(hole);
  }
  outers.sort((a, b) => a.first[1] - b.first[1] || a.first[0] - b.first[0]);
  return outers;
}

function bounds(ring: Ring): [number, number, number, number] {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const [x, y] of ring) {
    x0 = Math.min(x0, x);
    y0 = Math.min(y0, y);
    x1 = Math.max(x1, x);
    y1 = Math.max(y1, y);
  }
  return [x0, y0, x1, y1];
}

function topLeft(ring: Ring): Point {
  return ring.reduce((a, p) => (p[1] < a[1] || (p[1] === a[1] && p[0] < a[0]) ? p : a));
}

/** Where a ring crosses the line y = ry: edge index and x, for edges with endpoints on both sides. */
function* crossings(ring: Ring, ry: number): Generator<[number, number]> {
  for (let i = 0; i < ring.length; i++) {
    const [ax, ay] = ring[i];
    const [bx, by] = ring[(i + 1) % ring.length];
    if (ay < ry !== by < ry) yield [i, ax + ((ry - ay) * (bx - ax)) / (by - ay)];
  }
}

/**
 * One ring: the outer ring with every hole cut in through a zero-width horizontal bridge (see the file's head).
 * Holes go in by their leftmost vertex, left to right (as earcut does), so a bridge meets the outer ring or a hole
 * already cut in; should it meet a hole not yet cut in, the two holes are joined first.
 */
function bridgeHoles(outer: Ring, holes: Ring[]): Ring {
  let ring = outer;
  const leftmost = (r: Ring) => r.reduce((a, p) => (p[0] < a[0] || (p[0] === a[0] && p[1] < a[1]) ? p : a));
  const pending = holes.map((r) => ({ ring: r, left: leftmost(r) }));
  while (pending.length > 0) {
    pending.sort((a, b) => a.left[0] - b.left[0] || a.left[1] - b.left[1]);
    const hole = pending.shift()!;
    const p = hole.left;
    // A line a quarter pixel below (or above) the leftmost vertex: through the hole, never through a vertex.
    const ry = hole.ring.some((q) => q[1] > p[1]) ? p[1] + 0.25 : p[1] - 0.25;
    let h: [number, number] = [-1, Infinity];
    for (const c of crossings(hole.ring, ry)) if (c[1] < h[1]) h = c;
    // Nearest crossing to the left: on the ring built so far or on a hole not yet cut in.
    let target: { edge: number; x: number; pending: number } = { edge: -1, x: -Infinity, pending: -1 };
    for (const [edge, x] of crossings(ring, ry)) if (x < h[1] && x > target.x) target = { edge, x, pending: -1 };
    pending.forEach((other, k) => {
      for (const [edge, x] of crossings(other.ring, ry)) if (x < h[1] && x > target.x) target = { edge, x, pending: k };
    });
    if (target.edge < 0) throw new Error('a hole with nothing to its left'); // cannot happen: the outer ring surrounds it
    const into = target.pending < 0 ? ring : pending[target.pending].ring;
    const q: Point = [target.x, ry];
    const hp: Point = [h[1], ry];
    const around = [...hole.ring.slice(h[0] + 1), ...hole.ring.slice(0, h[0] + 1)]; // from after the crossed edge round to its start
    const joined: Ring = [...into.slice(0, target.edge + 1), q, hp, ...around, hp, q, ...into.slice(target.edge + 1)];
    if (target.pending < 0) ring = joined;
    else pending[target.pending] = { ring: joined, left: leftmost(joined) };
  }
  return ring;
}
