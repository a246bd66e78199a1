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

/** Slow reference: every fold refitted from its photos' rows concatenated, λ chosen by brute force. */
function referenceNested(photos: DepthPhoto[], lambdas: number[]): { lambda: number; rmseLog: number }[] {
  const fitOn = (train: DepthPhoto[], lambda: number) => {
    const targets = train.map((p) => superpixelLogDepth(p.map, p.depth));
    const rows = train.flatMap((p) => [...p.rows]);
    return fitRidge(ridgeStats(rows, targets.flatMap((t) => [...t]), 3), { lambda });
  };
  const score = (train: DepthPhoto[], test: DepthPhoto, lambda: number) => scoreLogDepth(test, predictRidge(fitOn(train, lambda), test.rows, test.map.count));
  return photos.map((test, o) => {
    const others = photos.filter((_, k) => k !== o);
    const inner = (lambda: number) => others.reduce((s, held, i) => s + score(others.filter((_, k) => k !== i), held, lambda).rmseLog, 0);
    const lambda = lambdas.reduce((best, l) => (inner(l) < inner(best) ? l : best));
    return { lambda, rmseLog: score(others, test, lambda).rmseLog };
  });
}

describe('nested leave-one-photo-out', () => {
  it('matches refitting every fold from scratch, on real NYUv2 photos', async () => {
    const photos = await Promise.all(['0003', '0006', '0010', '0012'].map(realPhoto));
    const lambdas = [1e-2, 30, 3000];
    const got = nestedLeaveOnePhotoOut(photos, { lambdas, penalty: [1, 1, 1] });
    const reference = referenceNested(photos, lambdas);
    got.nested.forEach((p, o) => {
      expect(p.lambda).toBe(reference[o].lambda);
      expect(p.metrics.rmseLog).toBeCloseTo(reference[o].rmseLog, 6);
    });
    expect(got.perLambda.map((e) => e.lambda)).toEqual(lambdas);
    expect(lambdas).toContain(got.chosenLambda);
  }, 60_000);
});
