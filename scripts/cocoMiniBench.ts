// coco-mini as the benchmarks read it (thesis §3.4's setting on COCO photos with VOC classes): the photos, their
// VOC class-index masks, the seeded click protocol, and the few statistics every benchmark table prints.
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clicksToScribbles, seededRandom, simulateClicks } from '../src/core/clickProtocol.ts';
import { strokeSource, type LabelSource } from '../src/core/labelSources.ts';
import { decodeIndexPng } from '../src/core/pngCodec.ts';
import type { SuperpixelMap } from '../src/core/types.ts';
import type { SuperpixelFeatures } from '../src/ml/segmentationEngine.ts';

export const cocoMiniDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data/coco-mini');

/** A dev photo with its superpixels, features and VOC mask. */
export interface CocoMiniPhoto extends SuperpixelFeatures {
  stem: string;
  gt: Uint8Array;
}

/** The photos' file names (`<stem>.jpg` under images/), sorted. */
export async function cocoMiniPhotos(): Promise<string[]> {
  return (await readdir(join(cocoMiniDir, 'images'))).filter((f) => f.endsWith('.jpg')).sort();
}

/** The photo's VOC class-index mask (voc_masks/<stem>.png, 255 = ignore). */
export async function cocoMiniTruth(stem: string): Promise<Uint8Array> {
  return decodeIndexPng(await readFile(join(cocoMiniDir, 'voc_masks', `${stem}.png`))).values as Uint8Array;
}

/** P seeded clicks per class present in `truth`, as the user's stroke source on the photo's superpixels. */
export function clickSource(map: SuperpixelMap, truth: Uint8Array, perClass: number, seed: number): LabelSource {
  const { width, height } = map;
  return strokeSource(map, clicksToScribbles(simulateClicks(truth, width, height, perClass, 1000 * seed + perClass), width, height));
}

/** Indices 0..count-1 in k folds of near-equal size; seed 0 keeps photo order (i mod k), others shuffle first. */
export function photoFolds(count: number, k: number, seed = 0): number[][] {
  const order = Array.from({ length: count }, (_, i) => i);
  const random = seededRandom(seed);
  if (seed !== 0) for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return Array.from({ length: k }, (_, f) => order.filter((_, i) => i % k === f));
}

export const pct = (v: number) => (100 * v).toFixed(1);
export const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;
export function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
}
