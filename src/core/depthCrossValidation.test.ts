import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { nestedLeaveOnePhotoOut, scoreLogDepth, type DepthPhoto } from './depthCrossValidation.ts';
import { decodeDepthPng } from './depthMap.ts';
import { fitRidge, predictRidge, ridgeStats } from './ridgeRegression.ts';
import { slic } from './slic.ts';
import { superpixelLogDepth } from './superpixelDepth.ts';
import { positionFeatures } from './superpixelPosition.ts';
import { sharedDataPath } from './testData.ts';

async function realPhoto(id: string): Promise<DepthPhoto> {
  // A quarter of the size in each direction keeps the slow reference quick.
  const { data, info } = await sharp(sharedDataPath('nyuv2', 'rgb', `${id}.png`)).resize(160, 120).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const map = slic({ width: info.width, height: info.height, data: new Uint8Array(data) }, { k: 60, m: 15 });
  const full = decodeDepthPng(readFileSync(sharedDataPath('nyuv2', 'depth_mm', `${id}.png`)));
  const metres = Float32Array.from({ length: 160 * 120 }, (_, i) => full.metres[4 * Math.floor(i / 160) * full.width + 4 * (i % 160)]);
  return { id, rows: positionFeatures(map), dims: 3, map, depth: { width: 160, height: 120, metres } };
}

/** Slow reference: every fold refitted from its photos' rows concatenated, the setting chosen by brute force. */
function referenceNested(photos: DepthPhoto[], settings: { lambda: number; smoothing: number }[]): { lambda: number; smoothing: number; rmseLog: number }[] {
  const fitOn = (train: DepthPhoto[], lambda: number) => {
    const targets = train.map((p) => superpixelLogDepth(p.map, p.depth));
    const rows = train.flatMap((p) => [...p.rows]);
    return fitRidge(ridgeStats(rows, targets.flatMap((t) => [...t]), 3), { lambda });
  };
  type Setting = (typeof settings)[number];
  const score = (train: DepthPhoto[], test: DepthPhoto, s: Setting) => scoreLogDepth(test, predictRidge(fitOn(train, s.lambda), test.rows, test.map.count), s.smoothing);
  return photos.map((test, o) => {
    const others = photos.filter((_, k) => k !== o);
    const inner = (s: Setting) => others.reduce((sum, held, i) => sum + score(others.filter((_, k) => k !== i), held, s).rmseLog, 0);
    const best = settings.reduce((b, s) => (inner(s) < inner(b) ? s : b));
    return { ...best, rmseLog: score(others, test, best).rmseLog };
  });
}

describe('nested leave-one-photo-out', () => {
  it('matches refitting every fold from scratch, on real NYUv2 photos', async () => {
    const photos = await Promise.all(['0003', '0006', '0010', '0012'].map(realPhoto));
    const lambdas = [1e-2, 30, 3000];
    const smoothings = [0, 0.05];
    const got = nestedLeaveOnePhotoOut(photos, { lambdas, smoothings, penalty: [1, 1, 1] });
    const settings = lambdas.flatMap((lambda) => smoothings.map((smoothing) => ({ lambda, smoothing })));
    const reference = referenceNested(photos, settings);
    got.nested.forEach((p, o) => {
      expect([p.lambda, p.smoothing]).toEqual([reference[o].lambda, reference[o].smoothing]);
      expect(p.metrics.rmseLog).toBeCloseTo(reference[o].rmseLog, 6);
    });
    expect(got.perSetting.map(({ lambda, smoothing }) => ({ lambda, smoothing }))).toEqual(settings);
    expect(settings).toContainEqual(got.chosen);
  }, 60_000);
});
