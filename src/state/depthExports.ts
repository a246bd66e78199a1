// The active photo's predicted depth as files (thesis §5.5; docs/depth.md): a 16-bit PNG in millimetres at the
// photo's original size and orientation, as `cli depth` writes it, and a PLY point cloud of the working copy,
// back-projected through the assumed 60° pinhole camera and coloured by the photo.
import { beyondDepthPng, encodeDepthPng, MAX_DEPTH_PNG_METRES, type DepthMap } from '../core/depthMap.ts';
import { depthFileName } from '../core/fileNames.ts';
import { ASSUMED_HORIZONTAL_FOV_DEGREES, backProject, pinholeCamera } from '../core/pinholeCamera.ts';
import { encodePly } from '../core/plyCodec.ts';
import { resizeBilinear } from '../core/resizeBilinear.ts';
import { paintLogDepthAtSize } from '../core/superpixelDepth.ts';
import { activeDepth, depthPixels } from './depthPixels.ts';
import { download } from './download.ts';
import type { Photo } from './photoSlice.ts';
import type { StudioState } from './studioStore.ts';
import type { DepthState } from './depthSlice.ts';

function depthAndPhoto(s: StudioState): { depth: DepthState; photo: Photo } | undefined {
  const depth = activeDepth(s);
  const photo = s.photos.find((p) => p.id === depth?.photoId);
  return depth && photo ? { depth, photo } : undefined;
}

const resizedDepth = (map: DepthMap, width: number, height: number): DepthMap => ({ width, height, metres: resizeBilinear(map.metres, map.width, map.height, width, height) });

export const canExportDepth = (s: StudioState): boolean => depthAndPhoto(s) !== undefined;

export function exportDepthPng(s: StudioState): void {
  const found = depthAndPhoto(s);
  if (!found) return s.notify('error', 'no depth to export yet: wait for the Depth panel to fill');
  const { depth, photo } = found;
  const map = depth.source === 'image' ? paintLogDepthAtSize(depth.superpixels, depth.result.logDepth, depth.result.smoothing, photo.originalWidth, photo.originalHeight) : resizedDepth(depth.map, photo.originalWidth, photo.originalHeight);
  download(encodeDepthPng(map), depthFileName(photo.name, 'png'), 'image/png');
  const beyond = beyondDepthPng(map);
  if (beyond > 0) s.notify('info', `${((100 * beyond) / map.metres.length).toFixed(1)} % of the pixels (sky, far buildings) lie beyond the ${MAX_DEPTH_PNG_METRES} m a 16-bit PNG in millimetres holds: written as ${MAX_DEPTH_PNG_METRES} m (the PLY keeps them)`);
}

export function exportPointCloud(s: StudioState): void {
  const found = depthAndPhoto(s);
  if (!found) return s.notify('error', 'no depth to export yet: wait for the Depth panel to fill');
  const { depth, photo } = found;
  const map = depthPixels(depth);
  const cloud = backProject(map, photo.working.data, pinholeCamera(map.width, map.height));
  const comments = [
    `depth predicted from ${depth.source === 'image' ? 'one photo' : 'its segmentation'} (Zoom-out Studio), ${photo.name.replace(/[\r\n]/g, ' ')}, ${map.width}x${map.height} pixels`,
    `camera frame: x right, y down, z forward, metres (${depth.source === 'image' ? 'NYUv2' : 'procedural scenes'} scale; one photo fixes depth only up to scale)`,
    `pinhole camera with an assumed horizontal field of view of ${ASSUMED_HORIZONTAL_FOV_DEGREES} degrees`,
  ];
  download(encodePly(cloud, comments), depthFileName(photo.name, 'ply'), 'application/octet-stream');
}
