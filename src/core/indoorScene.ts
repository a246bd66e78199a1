// Procedural indoor scenes with exact class maps and depth: training data for depth from segmentation
// (thesis §5.5), where no large RGB-D set is reachable. A pinhole camera with NYUv2's Kinect intrinsics stands
// in a box room (floor, walls, ceiling); furniture of the NYUv2 13 classes at real-world sizes stands on the
// floor or against the walls, small things lie on tops, pictures and windows hang on walls; sceneRaycast.ts
// renders each pixel's class and depth along the optical axis. Distributions are set from real rooms' sizes,
// and the class statistics are compared with the real NYUv2 label maps (`labelMapStatistics`,
// `npm run bench:depth -- --synthetic-only`).

import { NYU13_CLASSES } from './labelSets.ts';
import { between, renderScene, type Backdrop, type Box, type Random, type SyntheticScene } from './sceneRaycast.ts';

type Nyu13Class = (typeof NYU13_CLASSES)[number];

const label = (name: Nyu13Class) => NYU13_CLASSES.indexOf(name) + 1;

/** NYUv2's colour camera: fx = fy ≈ 518.9 px at 640×480 (hfov ≈ 63°). */
export const NYU_FOCAL_AT_640 = 518.86;

/** A rendered room: NYUv2 13-class labels (1..13), depth along the optical axis. */
export type IndoorScene = SyntheticScene;

interface Room {
  width: number;
  depth: number;
  height: number;
  boxes: Box[];
}

/** Footprints on the floor must not overlap (with a gap to walk through) nor come near the camera. */
function footprintFree(room: Room, box: Box, camera: [number, number, number], gap: number): boolean {
  if (box.min[0] < 0 || box.max[0] > room.width || box.min[2] < 0 || box.max[2] > room.depth) return false;
  if (camera[0] > box.min[0] - 0.4 && camera[0] < box.max[0] + 0.4 && camera[2] > box.min[2] - 0.4 && camera[2] < box.max[2] + 0.4) return false;
  return room.boxes.every((b) => b.min[1] > 0.05 || box.max[0] + gap <= b.min[0] || b.max[0] + gap <= box.min[0] || box.max[2] + gap <= b.min[2] || b.max[2] + gap <= box.min[2]);
}

/** A floor-standing piece of w × h × d metres against a random wall (facing into the room) or free. */
function placeOnFloor(room: Room, random: Random, camera: [number, number, number], size: [number, number, number], label: number, againstWall: boolean): Box | undefined {
  for (let attempt = 0; attempt < 20; attempt++) {
    // Turned by 90° half the time: width along z.
    const [w, h, d] = random() < 0.5 ? size : [size[2], size[1], size[0]];
    let x = between(random, 0, room.width - w);
    let z = between(random, 0.3, room.depth - d);
    if (againstWall) {
      const wall = Math.floor(random() * 3); // left, right, far: the wall behind the camera is rarely seen
      if (wall === 0) x = 0;
      else if (wall === 1) x = room.width - w;
      else z = room.depth - d;
    }
    const box: Box = { min: [x, 0, z], max: [x + w, h, z + d], label };
    if (footprintFree(room, box, camera, 0.15)) return box;
  }
  return undefined;
}

/** A thin rectangle on the left, right or far wall (pictures, windows, wall-mounted TVs). */
function placeOnWall(room: Room, random: Random, w: number, h: number, bottom: number, thickness: number, label: number): Box {
  const wall = Math.floor(random() * 3);
  const along = wall === 2 ? room.width : room.depth;
  const start = between(random, 0.1, Math.max(0.1, along - w - 0.1));
  const y: [number, number] = [bottom, Math.min(room.height - 0.05, bottom + h)];
  if (wall === 0) return { min: [0, y[0], start], max: [thickness, y[1], start + w], label };
  if (wall === 1) return { min: [room.width - thickness, y[0], start], max: [room.width, y[1], start + w], label };
  return { min: [start, y[0], room.depth - thickness], max: [start + w, y[1], room.depth], label };
}

/** Small things (books, objects) on the top of `support`. */
function placeOnTop(random: Random, support: Box, size: [number, number, number], label: number): Box {
  const [w, h, d] = size;
  const x = between(random, support.min[0], Math.max(support.min[0], support.max[0] - w));
  const z = between(random, support.min[2], Math.max(support.min[2], support.max[2] - d));
  return { min: [x, support.max[1], z], max: [Math.min(support.max[0], x + w), support.max[1] + h, Math.min(support.max[2], z + d)], label };
}

/** A table: a top slab on four legs, so the floor shows underneath. */
function table(top: Box): Box[] {
  const leg = 0.05;
  const under = top.min[1];
  const legs: Box[] = [];
  for (const x of [top.min[0], top.max[0] - leg])
    for (const z of [top.min[2], top.max[2] - leg]) legs.push({ min: [x, 0, z], max: [x + leg, under, z + leg], label: top.label });
  return [top, ...legs];
}

function furnish(room: Room, random: Random, camera: [number, number, number]): void {
  const add = (box: Box | undefined) => {
    if (box) room.boxes.push(box);
    return box;
  };
  const tops: Box[] = [];
  // Real-world sizes (w × h × d, metres), drawn per piece.
  if (random() < 0.35) add(placeOnFloor(room, random, camera, [between(random, 1.4, 2.0), between(random, 0.45, 0.65), between(random, 1.9, 2.1)], label('bed'), true));
  if (random() < 0.35) add(placeOnFloor(room, random, camera, [between(random, 1.6, 2.4), between(random, 0.75, 0.95), between(random, 0.8, 1.0)], label('sofa'), true));
  const pieces = Math.floor(between(random, 2, 7));
  for (let i = 0; i < pieces; i++) {
    const piece = add(placeOnFloor(room, random, camera, [between(random, 0.4, 1.6), between(random, 0.5, 2.1), between(random, 0.35, 0.65)], label('furniture'), random() < 0.85));
    if (piece && piece.max[1] < 1.3) tops.push(piece);
  }
  if (random() < 0.75) {
    const top = placeOnFloor(room, random, camera, [between(random, 0.8, 2.0), 0.04, between(random, 0.7, 1.2)], label('table'), random() < 0.3);
    if (top) {
      const height = between(random, 0.7, 0.78);
      top.min[1] = height - between(random, 0.03, 0.12);
      top.max[1] = height;
      room.boxes.push(...table(top));
      tops.push(top);
      const chairs = Math.floor(between(random, 0, 4));
      for (let i = 0; i < chairs; i++) add(placeOnFloor(room, random, camera, [between(random, 0.42, 0.55), between(random, 0.8, 1.0), between(random, 0.42, 0.55)], label('chair'), false));
    }
  } else if (random() < 0.4) add(placeOnFloor(room, random, camera, [between(random, 0.42, 0.6), between(random, 0.8, 1.1), between(random, 0.42, 0.6)], label('chair'), false));
  if (random() < 0.3) {
    const stand = tops.find((t) => t.label === label('furniture'));
    if (stand) room.boxes.push(placeOnTop(random, stand, [between(random, 0.6, 1.1), between(random, 0.4, 0.65), 0.08], label('tv')));
    else room.boxes.push(placeOnWall(room, random, between(random, 0.7, 1.2), between(random, 0.4, 0.7), between(random, 1.0, 1.4), 0.08, label('tv')));
  }
  for (const top of tops) {
    const things = Math.floor(between(random, 2, 10));
    for (let i = 0; i < things; i++) {
      const books = random() < 0.3;
      room.boxes.push(placeOnTop(random, top, books ? [between(random, 0.15, 0.4), between(random, 0.2, 0.3), between(random, 0.15, 0.25)] : [between(random, 0.1, 0.5), between(random, 0.05, 0.45), between(random, 0.1, 0.4)], label(books ? 'books' : 'objects')));
    }
  }
  // Clutter: bins, lamps, boxes on the floor; shelves' contents, lamps, clocks, coats on the walls.
  const floorThings = Math.floor(between(random, 2, 11));
  for (let i = 0; i < floorThings; i++) add(placeOnFloor(room, random, camera, [between(random, 0.2, 1.0), between(random, 0.1, 1.1), between(random, 0.2, 0.8)], label('objects'), random() < 0.6));
  const wallThings = Math.floor(between(random, 1, 8));
  for (let i = 0; i < wallThings; i++) room.boxes.push(placeOnWall(room, random, between(random, 0.2, 0.8), between(random, 0.2, 0.7), between(random, 0.8, 1.9), between(random, 0.05, 0.3), label('objects')));
  const pictures = Math.floor(between(random, 0, 5));
  for (let i = 0; i < pictures; i++) room.boxes.push(placeOnWall(room, random, between(random, 0.4, 1.2), between(random, 0.3, 0.9), between(random, 1.1, 1.6), 0.02, label('picture')));
  const windows = Math.floor(between(random, 0, 4));
  for (let i = 0; i < windows; i++) room.boxes.push(placeOnWall(room, random, between(random, 1.0, 2.2), between(random, 1.0, 1.6), between(random, 0.6, 1.0), 0.02, label('window')));
}

/**
 * One random room seen from one random viewpoint, width × height pixels (4:3 as NYUv2's 640×480 keeps the
 * Kinect's field of view).
 */
export function indoorScene(random: Random, width = 64, height = 48): IndoorScene {
  const room: Room = { width: between(random, 2.5, 6), depth: between(random, 3, 7), height: between(random, 2.4, 3.0), boxes: [] };
  // Hand-held at chest height near the entrance wall, looking into the room, a little down.
  const camera: [number, number, number] = [between(random, 0.25, 0.75) * room.width, between(random, 1.0, 1.6), between(random, 0.2, 0.8)];
  const yaw = between(random, -0.6, 0.6);
  const pitch = between(random, -0.45, 0);
  furnish(room, random, camera);

  const walls = { floor: label('floor'), ceiling: label('ceiling'), wall: label('wall') };
  // Inside the room every ray leaves through the nearest of the six faces.
  const faces: Backdrop = (origin, dir) => {
    let t = Infinity;
    let hit = walls.wall;
    for (const [axis, hi] of [
      [0, room.width],
      [1, room.height],
      [2, room.depth],
    ] as const) {
      const d = dir[axis];
      if (d === 0) continue;
      const tExit = ((d > 0 ? hi : 0) - origin[axis]) * (1 / d);
      if (tExit < t) {
        t = tExit;
        hit = axis === 1 ? (d > 0 ? walls.ceiling : walls.floor) : walls.wall;
      }
    }
    return { t, label: hit };
  };
  return renderScene({ camera, yaw, pitch, focal: (NYU_FOCAL_AT_640 * width) / 640 }, room.boxes, faces, width, height);
}

/**
 * Unlabelled pixels as real label maps have them (NYUv2's 0: about a tenth of the pixels, along object borders
 * and in patches nobody named), for training a reader of maps that are not fully labelled: each border pixel
 * (a 4-neighbour of another class) is dropped with probability `border`, then up to `patches` random rectangles
 * of up to a fifth of the frame's side each.
 */
export function dropLabels(scene: Pick<IndoorScene, 'width' | 'height' | 'classes'>, random: Random, border = 0.5, patches = 3): Uint8Array {
  const { width, height, classes } = scene;
  const out = Uint8Array.from(classes);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const c = classes[i];
      const edge = (x > 0 && classes[i - 1] !== c) || (x < width - 1 && classes[i + 1] !== c) || (y > 0 && classes[i - width] !== c) || (y < height - 1 && classes[i + width] !== c);
      if (edge && random() < border) out[i] = 0;
    }
  }
  const count = Math.floor(random() * (patches + 1));
  for (let p = 0; p < count; p++) {
    const w = Math.ceil(random() * width * 0.2);
    const h = Math.ceil(random() * height * 0.2);
    const x0 = Math.floor(random() * (width - w));
    const y0 = Math.floor(random() * (height - h));
    for (let y = y0; y < y0 + h; y++) out.fill(0, y * width + x0, y * width + x0 + w);
  }
  return out;
}

/** Per class: its share of the labelled pixels and the mean normalised row (0 top, 1 bottom) of its pixels. */
export interface LabelMapStatistics {
  share: Float64Array;
  meanRow: Float64Array;
}

/** Statistics of NYUv2-13 label maps (value 0 unlabelled; 1..13 the classes), pooled over the maps. */
export function labelMapStatistics(maps: readonly { width: number; height: number; classes: ArrayLike<number> }[]): LabelMapStatistics {
  const count = new Float64Array(NYU13_CLASSES.length);
  const rows = new Float64Array(NYU13_CLASSES.length);
  let labelled = 0;
  for (const map of maps) {
    for (let i = 0; i < map.classes.length; i++) {
      const c = map.classes[i];
      if (c === 0 || c > NYU13_CLASSES.length) continue;
      count[c - 1]++;
      rows[c - 1] += (Math.floor(i / map.width) + 0.5) / map.height;
      labelled++;
    }
  }
  return { share: count.map((n) => n / Math.max(1, labelled)), meanRow: rows.map((r, c) => (count[c] ? r / count[c] : NaN)) };
}
