// Pinhole back-projection of a depth map into 3D points (thesis §5.5 predicts depth per pixel; this turns it
// into a scene one can look at or export). One photo fixes neither scale nor focal length: the depth model
// carries NYUv2's metres, and the field of view is assumed, 60° horizontally like NYUv2's Kinect (≈ 58°).
import type { DepthMap } from './depthMap.ts';

/** The assumed horizontal field of view, in degrees, of every photo. */
export const ASSUMED_HORIZONTAL_FOV_DEGREES = 60;

export interface PinholeCamera {
  /** Focal length in pixels. */
  focal: number;
  /** Principal point in pixels: the image centre. */
  cx: number;
  cy: number;
}

/** A camera for an image `width` × `height` pixels whose width spans `fovDegrees`. */
export function pinholeCamera(width: number, height: number, fovDegrees = ASSUMED_HORIZONTAL_FOV_DEGREES): PinholeCamera {
  if (!(fovDegrees > 0 && fovDegrees < 180)) throw new Error(`a field of view of ${fovDegrees}° is not a pinhole camera's`);
  return { focal: width / 2 / Math.tan((fovDegrees * Math.PI) / 360), cx: width / 2, cy: height / 2 };
}

/**
 * Points in the camera's frame as OpenCV and Open3D write them (x right, y down, z forward, metres): depth is the
 * distance along the optical axis, as NYUv2 measures it, and a pixel stands for its centre.
 */
export interface PointCloud {
  /** x, y, z per point. */
  positions: Float32Array;
  /** r, g, b per point, 0–255. */
  colors: Uint8Array;
  count: number;
}

/**
 * Back-projects every `step`-th pixel of every `step`-th row with a measured depth (> 0), coloured by `rgba`,
 * the photo's pixels at the depth map's size.
 */
export function backProject(depth: DepthMap, rgba: ArrayLike<number>, camera: PinholeCamera, step = 1): PointCloud {
  const { width, height, metres } = depth;
  if (rgba.length !== width * height * 4) throw new Error(`${rgba.length / 4} colour pixels for a ${width}×${height} depth map`);
  if (!(Number.isInteger(step) && step >= 1)) throw new Error(`a sampling step of ${step} pixels`);
  const most = Math.ceil(width / step) * Math.ceil(height / step);
  const positions = new Float32Array(most * 3);
  const colors = new Uint8Array(most * 3);
  let n = 0;
  for (let v = 0; v < height; v += step) {
    const y = (v + 0.5 - camera.cy) / camera.focal;
    for (let u = 0; u < width; u += step) {
      const i = v * width + u;
      const z = metres[i];
      if (!(z > 0)) continue;
      positions[3 * n] = ((u + 0.5 - camera.cx) / camera.focal) * z;
      positions[3 * n + 1] = y * z;
      positions[3 * n + 2] = z;
      colors[3 * n] = rgba[4 * i];
      colors[3 * n + 1] = rgba[4 * i + 1];
      colors[3 * n + 2] = rgba[4 * i + 2];
      n++;
    }
  }
  return { positions: positions.slice(0, 3 * n), colors: colors.slice(0, 3 * n), count: n };
}

/** The smallest grid step that keeps at most `maxPoints` points of a `width` × `height` image. */
export function gridStep(width: number, height: number, maxPoints: number): number {
  let step = Math.max(1, Math.floor(Math.sqrt((width * height) / maxPoints)));
  while (Math.ceil(width / step) * Math.ceil(height / step) > maxPoints) step++;
  return step;
}
