// The files the monkey test (monkey.spec.ts) adds: the samples, tiny generated photos of odd sizes, grayscale
// (8- and 16-bit) and alpha PNGs, files added again, and bad ones (corrupt, not an image, empty); plus
// class-index masks named after a photo. Every generated file is new content (a counter goes into its pixels),
// except the deliberate duplicates.
import { encode } from 'fast-png';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { testPhoto } from './studioPage.ts';

export interface MonkeyFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
  /** What it is, for the action log. */
  kind: string;
  /** Whether the studio must open it as a photo (unless it is open already). */
  good: boolean;
  /** SHA-256 of the bytes, hex: what the studio's duplicate check compares. */
  hash: string;
}

/** The seeded random numbers behind every choice of the monkey (mulberry32). */
export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** In [lo, hi]. */
  between(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  /** One key by weight; keys of weight 0 are never picked. */
  weighted<K extends string>(weights: Record<K, number>): K {
    const entries = Object.entries(weights) as [K, number][];
    let r = this.next() * entries.reduce((n, [, w]) => n + w, 0);
    for (const [k, w] of entries) if ((r -= w) < 0) return k;
    return entries.find(([, w]) => w > 0)![0];
  }
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const SAMPLES = ['astronaut.png', 'chelsea.png', 'coffee.png', 'rocket.jpg'];
const sampleBytes = new Map<string, Buffer>();

function sample(name: string): MonkeyFile {
  let buffer = sampleBytes.get(name);
  if (!buffer) sampleBytes.set(name, (buffer = readFileSync(resolve('public/samples', name))));
  return { name, mimeType: name.endsWith('.jpg') ? 'image/jpeg' : 'image/png', buffer, kind: 'sample', good: true, hash: sha256(buffer) };
}

const file = (name: string, mimeType: string, buffer: Buffer, kind: string, good: boolean): MonkeyFile => ({ name, mimeType, buffer, kind, good, hash: sha256(buffer) });

/** Pixels of a gradient no other generated file has (`n` goes into every channel). */
function gradient(width: number, height: number, channels: number, n: number, depth: 8 | 16 = 8): Uint8Array | Uint16Array {
  const max = depth === 16 ? 65535 : 255;
  const data = depth === 16 ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * channels);
  for (let y = 0, i = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < channels; c++, i++) {
        // Many distinct levels, so a grayscale photo never looks like a class-index mask.
        const v = ((x * (3 + c) + y * (5 + 2 * c) + n * 97) * (depth === 16 ? 257 : 1)) % (max + 1);
        data[i] = c === 3 ? (depth === 16 ? 65535 : 255) - ((x * 7 + n) % 200) : v;
      }
  return data;
}

/** Makes the files of one "add photos" action; `made` keeps the good ones so later actions can add them again. */
export class FileFactory {
  private n = 0;
  private readonly made: MonkeyFile[] = [];
  constructor(private readonly seed: number) {}

  /** A sample, as the toolbar's sample list adds it. */
  sample(rng: Rng): MonkeyFile {
    return sample(rng.pick(SAMPLES));
  }

  next(rng: Rng): MonkeyFile {
    const n = this.seed * 1000 + ++this.n;
    const kind = rng.weighted({ sample: 24, tiny: 24, oddSize: 6, gray: 7, gray16: 4, alpha: 8, again: 8, corrupt: 6, text: 6, empty: 6 });
    let f: MonkeyFile;
    switch (kind) {
      case 'sample':
        f = sample(rng.pick(SAMPLES));
        break;
      case 'tiny': {
        const t = testPhoto(n, rng.between(8, 80), rng.between(8, 80));
        f = file(`mk${n}.png`, t.mimeType, t.buffer, 'tiny', true);
        break;
      }
      case 'oddSize': {
        // Degenerate but valid: one pixel, a line, a sliver.
        const [w, h] = rng.pick([
          [1, 1],
          [1, 40],
          [300, 2],
          [3, 3],
        ]);
        const t = testPhoto(n, w, h);
        f = file(`odd${n}-${w}x${h}.png`, t.mimeType, t.buffer, 'odd size', true);
        break;
      }
      case 'gray':
      case 'gray16': {
        const [w, h] = [rng.between(40, 120), rng.between(40, 120)];
        const depth = kind === 'gray16' ? 16 : 8;
        f = file(`gray${n}.png`, 'image/png', Buffer.from(encode({ width: w, height: h, data: gradient(w, h, 1, n, depth), channels: 1, depth })), `grayscale ${depth}-bit`, true);
        break;
      }
      case 'alpha': {
        const [w, h] = [rng.between(20, 100), rng.between(20, 100)];
        f = file(`alpha${n}.png`, 'image/png', Buffer.from(encode({ width: w, height: h, data: gradient(w, h, 4, n), channels: 4, depth: 8 })), 'alpha', true);
        break;
      }
      case 'again':
        f = this.made.length ? { ...rng.pick(this.made), kind: 'again' } : sample(rng.pick(SAMPLES));
        break;
      case 'corrupt': {
        // A real PNG's first bytes, then garbage: the decoder must refuse it, not show half a photo.
        const head = testPhoto(n, 64, 64).buffer.subarray(0, 60);
        f = file(`corrupt${n}.png`, 'image/png', Buffer.concat([head, Buffer.alloc(400 + rng.int(2000), 0x5a)]), 'corrupt', false);
        break;
      }
      case 'text':
        f = file(`notes${n}.txt`, 'text/plain', Buffer.from(`not pixels ${n}\n`), 'not an image', false);
        break;
      default:
        f = file(`empty${n}.png`, 'image/png', Buffer.alloc(0), 'empty', false);
    }
    if (f.good && kind !== 'again') this.made.push(f);
    return f;
  }
}

/** A class-index PNG (grayscale, 8-bit) of the given size: a few rectangles of classes < `classes`, some 255. */
export function classMask(rng: Rng, width: number, height: number, classes: number): Buffer {
  const data = new Uint8Array(width * height);
  data.fill(0);
  const boxes = rng.between(1, 4);
  for (let b = 0; b < boxes; b++) {
    const value = rng.chance(0.15) ? 255 : rng.int(classes);
    const x0 = rng.int(width);
    const y0 = rng.int(height);
    const x1 = Math.min(width, x0 + 1 + rng.int(width));
    const y1 = Math.min(height, y0 + 1 + rng.int(height));
    for (let y = y0; y < y1; y++) data.fill(value, y * width + x0, y * width + x1);
  }
  return Buffer.from(encode({ width, height, data, channels: 1, depth: 8 }));
}
