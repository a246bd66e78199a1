// What many browser tests do to the studio: paint on the viewer, make distinct test photos, count the worker's tensors.
import { expect, type Page } from '@playwright/test';
import { decode, encode } from 'fast-png';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { WorkerMemory } from '../src/worker/modelProtocol.ts';

/** The active photo's mask from *Export mask*, checked to be `size` (the astronaut's 512×512 by default). */
export async function exportedMask(page: Page, size: [number, number] = [512, 512]): Promise<Uint8Array> {
  const download = page.waitForEvent('download');
  await page.getByTestId('cmd-export-mask').click();
  const png = decode(readFileSync(await (await download).path()));
  expect([png.width, png.height]).toEqual(size);
  return Uint8Array.from(png.data);
}

/**
 * Of the worker's tensors, those neither its photo cache nor its models hold (heads, learnt nets…): what a leak
 * grows. The cached photos' share moves with what background work of the moment has analysed, and is bounded by
 * the cache; a model loads on first use.
 */
export const tensorsBeyondPhotosAndModels = (m: WorkerMemory): number => m.numTensors - m.photoTensors - m.modelTensors;

export const workerTensorsBeyondPhotosAndModels = async (page: Page): Promise<number> =>
  tensorsBeyondPhotosAndModels(await page.evaluate(() => window.__zoomoutStudio!.workerMemory()));

/** Drags along photo-relative points (0..1 of the displayed photo) on the viewer canvas; `aspect` = width / height. */
export async function paint(page: Page, points: [number, number][], aspect = 1): Promise<void> {
  const canvas = page.getByTestId('viewer-canvas');
  const box = (await canvas.boundingBox())!;
  // The photo is centred at 95% of the limiting side (Viewer's fitScale).
  const scale = Math.min(box.width / aspect, box.height) * 0.95;
  const [w, h] = [scale * aspect, scale];
  const x0 = box.x + (box.width - w) / 2;
  const y0 = box.y + (box.height - h) / 2;
  const at = ([u, v]: [number, number]) => [x0 + u * w, y0 + v * h] as const;
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
  await page.mouse.up();
}

/** A small PNG of its own content (a gradient seeded by `seed`), so no two are duplicates. */
export function testPhoto(seed: number, width = 48, height = 32): { name: string; mimeType: string; buffer: Buffer } {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0, i = 0; y < height; y++)
    for (let x = 0; x < width; x++, i += 3) {
      data[i] = (x * 5 + seed * 37) & 255;
      data[i + 1] = (y * 7 + seed * 11) & 255;
      data[i + 2] = (seed * 53 + ((x ^ y) & 15)) & 255;
    }
  return { name: `photo-${String(seed).padStart(3, '0')}.png`, mimeType: 'image/png', buffer: Buffer.from(encode({ width, height, data, channels: 3, depth: 8 })) };
}

/** IoU of class c in two maps (1 when neither has it). */
export function iou(a: Uint8Array, b: Uint8Array, c: number): number {
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === c && b[i] === c) inter++;
    if (a[i] === c || b[i] === c) union++;
  }
  return union ? inter / union : 1;
}

/** A sample photo shipped in public/samples. */
export const sample = (name: string) => resolve('public/samples', name);

/** A grayscale class-index PNG: background (0) on the left half, person (15) on the right. */
export function splitMask(width: number, height: number): Buffer {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) data.fill(15, y * width + (width >> 1), (y + 1) * width);
  return Buffer.from(encode({ width, height, data, depth: 8, channels: 1 }));
}

export const png = (name: string, buffer: Buffer) => ({ name, mimeType: 'image/png', buffer });

/** With the astronaut open and its superpixels in: one person (VOC 15) stroke down the suit. */
export async function paintPersonOnAstronaut(page: Page): Promise<void> {
  await expect(page.getByTestId('sp-count')).toContainText(/\d{3}/);
  await page.getByTestId('class-15').click();
  await page.getByTestId('cmd-tool-brush').click();
  await paint(page, [
    [0.45, 0.55],
    [0.5, 0.75],
  ]);
}

/** With the astronaut open: a person stroke down the suit and a background stroke on the dark wall, trained. */
export async function paintPersonAndBackgroundOnAstronaut(page: Page): Promise<void> {
  await paintPersonOnAstronaut(page);
  await page.getByTestId('class-0').click();
  await paint(page, [
    [0.05, 0.1],
    [0.1, 0.5],
    [0.05, 0.9],
  ]);
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
}
