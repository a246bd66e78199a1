// The pinhole renderer of the procedural depth scenes (indoorScene.ts, outdoorScene.ts; thesis §5.5 training
// data): every pixel's ray is cast into axis-aligned boxes and a backdrop (a room's faces, or the ground and
// the sky); the nearest surface gives the pixel's class and its depth along the optical axis, as RGB-D cameras
// and NYUv2's depth maps measure it.

/** A rendered scene: exact class map and depth. */
export interface SyntheticScene {
  width: number;
  height: number;
  /** Depth-class label per pixel (core/labelSets.ts DEPTH_CLASSES, 1-based; every pixel hits something). */
  classes: Uint8Array;
  /** Depth along the optical axis, metres. */
  metres: Float32Array;
  /** Focal length in pixels (principal point at the centre). */
  focal: number;
}

export type Vec3 = [number, number, number];

/** An axis-aligned box, metres: x right, y up, z forward. */
export interface Box {
  min: Vec3;
  max: Vec3;
  label: number;
}

/** Where a ray that misses every box ends: its parameter (the depth) and class. */
export type Backdrop = (origin: Vec3, dir: Vec3) => { t: number; label: number };

export interface SceneView {
  camera: Vec3;
  /** Turn about the vertical axis, radians (positive: towards +x). */
  yaw: number;
  /** Tilt, radians (positive: up). */
  pitch: number;
  focal: number;
}

export type Random = () => number;
export const between = (random: Random, a: number, b: number) => a + (b - a) * random();

/** Ray–box slab test: entry distance, or Infinity when missed or behind. */
function hitBox(o: readonly number[], inv: readonly number[], box: Box): number {
  let near = -Infinity;
  let far = Infinity;
  for (let a = 0; a < 3; a++) {
    const t1 = (box.min[a] - o[a]) * inv[a];
    const t2 = (box.max[a] - o[a]) * inv[a];
    near = Math.max(near, Math.min(t1, t2));
    far = Math.min(far, Math.max(t1, t2));
  }
  return near <= far && near > 0 ? near : Infinity;
}

/** Casts one ray per pixel centre through `view` into `boxes` in front of `backdrop`. */
export function renderScene(view: SceneView, boxes: readonly Box[], backdrop: Backdrop, width: number, height: number): SyntheticScene {
  const { camera, focal } = view;
  const classes = new Uint8Array(width * height);
  const metres = new Float32Array(width * height);
  const [cy, sy, cp, sp] = [Math.cos(view.yaw), Math.sin(view.yaw), Math.cos(view.pitch), Math.sin(view.pitch)];
  for (let v = 0; v < height; v++) {
    for (let u = 0; u < width; u++) {
      // Camera frame (x right, y up, z forward, z component 1 so that the ray parameter is the depth), pitched, then yawed.
      const xc = (u + 0.5 - width / 2) / focal;
      const yc = -(v + 0.5 - height / 2) / focal;
      const y1 = yc * cp + sp;
      const z1 = -yc * sp + cp;
      const dir: Vec3 = [xc * cy + z1 * sy, y1, -xc * sy + z1 * cy];
      const inv = dir.map((d) => 1 / d);
      let { t, label } = backdrop(camera, dir);
      for (const box of boxes) {
        const tb = hitBox(camera, inv, box);
        if (tb < t) {
          t = tb;
          label = box.label;
        }
      }
      classes[v * width + u] = label;
      metres[v * width + u] = t;
    }
  }
  return { width, height, classes, metres, focal };
}
