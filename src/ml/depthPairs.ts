// RGB-D pairs as the depth regression trains on them (docs/depth.md): `<dir>/rgb/<id>.png` with
// `<dir>/depth_mm/<id>.png` (16-bit millimetres, NYUv2's layout), each turned into the engine's superpixels and
// zoom-out features (thesis §3.3.1) plus the depth regression's position columns.
import { readFile, readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DepthPhoto } from '../core/depthCrossValidation.ts';
import { decodeDepthPng } from '../core/depthMap.ts';
import type { Backbone } from './backbone.ts';
import { depthFeatureRows } from './depthFeatures.ts';
import { readImageRgba } from './nodeImage.ts';
import { superpixelFeatures } from './segmentationEngine.ts';

export async function depthPairIds(dir: string): Promise<string[]> {
  return (await readdir(join(dir, 'depth_mm'))).filter((f) => f.endsWith('.png')).map((f) => basename(f, '.png')).sort();
}

export async function loadDepthPair(dir: string, id: string, backbone: Backbone): Promise<DepthPhoto> {
  const image = await readImageRgba(join(dir, 'rgb', `${id}.png`));
  const depth = decodeDepthPng(await readFile(join(dir, 'depth_mm', `${id}.png`)));
  if (depth.width !== image.width || depth.height !== image.height) throw new Error(`${id}: depth is ${depth.width}×${depth.height}, the photo ${image.width}×${image.height}`);
  const photo = await superpixelFeatures(backbone, image);
  try {
    return { id, ...(await depthFeatureRows(photo)), map: photo.map, depth };
  } finally {
    photo.features.dispose();
  }
}
