import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { readImageRgba } from './nodeImage.ts';

const dir = mkdtempSync(join(tmpdir(), 'zoomout-img-'));
const file = (name: string) => join(dir, name);
const coffee = resolve(import.meta.dirname, '../../public/samples/coffee.png');

beforeAll(async () => {
  writeFileSync(file('notes.txt'), 'not pixels');
  writeFileSync(file('empty.jpg'), new Uint8Array());
  writeFileSync(file('corrupt.jpg'), Buffer.concat([readFileSync(resolve(import.meta.dirname, '../../public/samples/rocket.jpg')).subarray(0, 200), Buffer.alloc(3000, 0x5a)]));
  await sharp(coffee).resize(40, 30).ensureAlpha(0.25).png().toFile(file('alpha.png'));
  await sharp(coffee).resize(40, 30).grayscale().png().toFile(file('gray.png'));
  await sharp(coffee).resize(40, 30).toColourspace('rgb16').png().toFile(file('deep16.png'));
  await sharp(coffee).resize(40, 30).withMetadata({ orientation: 6 }).jpeg().toFile(file('exif6.jpg'));
});

describe('readImageRgba', () => {
  it.each(['notes.txt', 'corrupt.jpg'])('rejects %s with a clear message', async (name) => {
    await expect(readImageRgba(file(name))).rejects.toThrow(/not a readable image/);
  });

  it('rejects an empty file', async () => {
    await expect(readImageRgba(file('empty.jpg'))).rejects.toThrow('empty file');
  });

  it.each(['alpha.png', 'gray.png', 'deep16.png'])('reads %s as 8-bit RGBA', async (name) => {
    const img = await readImageRgba(file(name));
    expect([img.width, img.height]).toEqual([40, 30]);
    expect(img.data.length).toBe(40 * 30 * 4);
  });

  it('keeps 16-bit PNGs in the 8-bit range and grayscale as equal channels', async () => {
    const deep = await readImageRgba(file('deep16.png'));
    const ref = await readImageRgba(coffee);
    expect(Math.max(...deep.data)).toBeLessThanOrEqual(255);
    expect(Math.max(...deep.data.filter((_, i) => i % 4 !== 3))).toBeGreaterThan(100);
    const gray = await readImageRgba(file('gray.png'));
    for (let i = 0; i < gray.data.length; i += 4) expect(gray.data[i]).toBe(gray.data[i + 2]);
    expect(ref.width).toBe(600);
  });

  it('applies EXIF orientation', async () => {
    const img = await readImageRgba(file('exif6.jpg'));
    expect([img.width, img.height]).toEqual([30, 40]);
  });
});
