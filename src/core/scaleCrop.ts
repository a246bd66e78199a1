// The augmentation of thesis §3.5's end-to-end training: a random crop at a random scale (0.5–2× the
// resolution the model is used at) and aspect (3/4–4/3), mirrored half the time, stretched to a square model
// input; and the crop's labels on the model's stride-4 grid.
import type { GridSize } from './pixelGrid.ts';

export interface ScaleCropOptions {
  minScale: number;
  maxScale: number;
  minAspect: number;
  maxAspect: number;
}

export const SCALE_CROP_DEFAULTS: ScaleCropOptions = { minScale: 0.5, maxScale: 2, minAspect: 3 / 4, maxAspect: 4 / 3 };

/** A window of the photo in pixels (x0, y0 its top-left corner), mirrored left–right when `flip`. */
export interface Crop {
  x0: number;
  y0: number;
  width: number;
  height: number;
  flip: boolean;
}

/**
 * At scale 1 a square window of `window` photo pixels (the input's side at the resolution the model is used
 * at); at scale s a window 1/s of that, widened by √aspect and heightened by 1/√aspect, clipped to the photo,
 * at a random position.
 */
export function randomScaleCrop(width: number, height: number, window: number, random: () => number, options: ScaleCropOptions = SCALE_CROP_DEFAULTS): Crop {
  const scale = options.minScale + random() * (options.maxScale - options.minScale);
  const aspect = Math.exp(Math.log(options.minAspect) + random() * Math.log(options.maxAspect / options.minAspect));
  const long = window / scale;
  const cw = Math.min(width, long * Math.sqrt(aspect));
  const ch = Math.min(height, long / Math.sqrt(aspect));
  return { x0: random() * (width - cw), y0: random() * (height - ch), width: cw, height: ch, flip: random() < 0.5 };
}

/** Where a point of the crop, as a fraction (u, v) of its width and height, lies in the photo, in pixels. */
export function cropToPhoto(crop: Crop, u: number, v: number): [number, number] {
  return [crop.x0 + (crop.flip ? 1 - u : u) * crop.width, crop.y0 + v * crop.height];
}

/** Where a photo point (in pixels) lies in the crop, as a fraction of its width and height (outside: < 0 or > 1). */
export function photoToCrop(crop: Crop, x: number, y: number): [number, number] {
  const u = (x - crop.x0) / crop.width;
  return [crop.flip ? 1 - u : u, (y - crop.y0) / crop.height];
}

/** The class (≥ 0) or -1 of the photo pixel under each grid cell's centre, for a per-pixel label map. */
export function cropCellLabels(labels: ArrayLike<number>, width: number, height: number, crop: Crop, grid: GridSize): Int32Array {
  const out = new Int32Array(grid.cols * grid.rows);
  for (let r = 0, i = 0; r < grid.rows; r++) {
    for (let c = 0; c < grid.cols; c++, i++) {
      const [x, y] = cropToPhoto(crop, (c + 0.5) / grid.cols, (r + 0.5) / grid.rows);
      out[i] = labels[Math.min(height - 1, Math.floor(y)) * width + Math.min(width - 1, Math.floor(x))];
    }
  }
  return out;
}
