import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { decodeIndexPng } from '../../core/pngCodec.ts';
import { slicLabels } from '../../core/slic.ts';
import { readImageRgba } from '../../ml/nodeImage.ts';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const sample = join(repoRoot, '../shared/data/samples/chelsea.png');

describe('cli slic', () => {
  it('writes one 16-bit label PNG per image, upright, and reports a bad input in one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-slic-'));
    try {
      const rotated = join(dir, 'rotated.jpg');
      // EXIF orientation 6 (rotate 90°): the label map must have the upright size, 60×90.
      await sharp(sample).resize(90, 60, { fit: 'fill' }).jpeg().withMetadata({ orientation: 6 }).toFile(rotated);
      const notImage = join(dir, 'notes.txt');
      writeFileSync(notImage, 'not a picture');
      const out = join(dir, 'out');
      const run = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'slic', rotated, notImage, sample, '--out', out, '--k', '600'], {
        cwd: repoRoot,
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      const errors = run.stderr.trim().split('\n');
      expect(errors).toEqual([expect.stringMatching(/notes\.txt: not a readable image/), '1 of 3 inputs failed']);
      const reports = run.stdout.trim().split('\n');
      expect(reports).toHaveLength(2);
      expect(reports[1]).toMatch(/chelsea\.png: \d+ superpixels, [\d.]+ ms$/);

      const upright = decodeIndexPng(readFileSync(join(out, 'rotated.png')));
      expect([upright.width, upright.height]).toEqual([60, 90]);

      // 16-bit round trip: the file holds exactly the labels computed in-process, several hundred of them.
      const written = decodeIndexPng(readFileSync(join(out, 'chelsea.png')));
      const expected = slicLabels(await readImageRgba(sample), { k: 600 });
      expect(written.values).toBeInstanceOf(Uint16Array);
      expect(expected.count).toBeGreaterThan(256);
      expect(Int32Array.from(written.values)).toEqual(expected.labels);
      expect(reports[1]).toContain(`: ${expected.count} superpixels`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects a meaningless --k once, before reading any image', () => {
    const run = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'slic', sample, sample, '--out', tmpdir(), '--k', '0'], { cwd: repoRoot, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe('error: k must be at least 1, got 0');
  });

  it('needs --out', () => {
    const run = spawnSync('npx', ['tsx', 'src/cli/main.ts', 'slic', sample], { cwd: repoRoot, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe('error: --out is required');
  });
});
