import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededRandom } from '../core/clickProtocol.ts';
import { fitRowProfile, rowProfileDepth } from '../core/depthBaselines.ts';
import { depthMetrics, meanDepthMetrics, medianScaled } from '../core/depthMetrics.ts';
import { indoorScene } from '../core/indoorScene.ts';
import { DEPTH_CLASSES } from '../core/labelSets.ts';
import { outdoorScene } from '../core/outdoorScene.ts';
import { selectBackend } from './backend.ts';
import { loadSegmentationDepthFromDisk } from './loadFromDisk.ts';
import { depthFromLabelMap, scaleInvariantLoss, SEG_DEPTH_SIZE, SegmentationDepthNet, segmentationDepthInput } from './segmentationDepthNet.ts';

const { width, height } = SEG_DEPTH_SIZE;

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('segmentationDepthNet', () => {
  it('the scale-invariant loss is Eigen et al.’s, per image then averaged (plain-loop reference)', () => {
    const random = seededRandom(5);
    const [b, h, w] = [3, 4, 5];
    const pred = Array.from({ length: b * h * w }, () => random() * 2);
    const truth = Array.from({ length: b * h * w }, () => random() * 2);
    let expected = 0;
    for (let i = 0; i < b; i++) {
      let sum = 0;
      let sq = 0;
      for (let j = 0; j < h * w; j++) {
        const d = pred[i * h * w + j] - truth[i * h * w + j];
        sum += d;
        sq += d * d;
      }
      const n = h * w;
      expected += (sq / n - 0.5 * (sum / n) ** 2) / b;
    }
    const loss = scaleInvariantLoss(tf.tensor3d(pred, [b, h, w]), tf.tensor3d(truth, [b, h, w]));
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
    // With λ = 1 a constant offset (a change of scale) costs nothing.
    const shifted = scaleInvariantLoss(tf.tensor3d(truth.map((v) => v + 0.7), [b, h, w]), tf.tensor3d(truth, [b, h, w]), 1);
    expect(shifted.dataSync()[0]).toBeCloseTo(0, 5);
    tf.dispose([loss, shifted]);
  });

  it('the input is the one-hot classes (unlabelled: none) and the pixel’s row and column in [−1, 1]', () => {
    const classes = DEPTH_CLASSES.length;
    const map = new Uint8Array(width * height);
    map[0] = 5;
    map[1] = DEPTH_CLASSES.indexOf('sky') + 1;
    map[width * height - 1] = 0;
    const input = segmentationDepthInput([map]);
    const data = input.dataSync();
    const at = (i: number) => Array.from(data.slice(i * (classes + 2), (i + 1) * (classes + 2)));
    expect(at(0).slice(0, classes)).toEqual(Array.from({ length: classes }, (_, c) => (c === 4 ? 1 : 0)));
    expect(at(1).slice(0, classes)).toEqual(Array.from({ length: classes }, (_, c) => (DEPTH_CLASSES[c] === 'sky' ? 1 : 0)));
    expect(at(0)[classes]).toBeCloseTo(-1 + 1 / height, 5);
    expect(at(0)[classes + 1]).toBeCloseTo(-1 + 1 / width, 5);
    expect(at(width * height - 1).slice(0, classes).every((v) => v === 0)).toBe(true);
    expect(at(width * height - 1)[classes]).toBeCloseTo(1 - 1 / height, 5);
    input.dispose();
  });

  it('learns: a few Adam steps on procedural rooms lower the loss, and nothing leaks', () => {
    const random = seededRandom(11);
    const scenes = Array.from({ length: 4 }, () => indoorScene(random, width, height));
    const net = SegmentationDepthNet.create(3);
    const optimizer = tf.train.adam(0.003);
    const before = tf.memory().numTensors;
    const losses: number[] = [];
    for (let step = 0; step < 12; step++) {
      const loss = tf.tidy(() => {
        const input = segmentationDepthInput(scenes.map((s) => s.classes));
        const target = tf.tensor3d(Float32Array.from(scenes.flatMap((s) => Array.from(s.metres, Math.log))), [4, height, width]);
        return optimizer.minimize(() => scaleInvariantLoss(net.logDepth(input), target), true, net.trainableVariables())!;
      });
      losses.push(loss.dataSync()[0]);
      loss.dispose();
    }
    expect(losses[11]).toBeLessThan(losses[0] * 0.7);
    // Adam's moments are created at the first step; after it, every step leaves the count where it was.
    expect(tf.memory().numTensors).toBeLessThanOrEqual(before + 4 * net.trainableVariables().length);
    optimizer.dispose();
    net.dispose();
  }, 60_000);

  it.each([
    ['rooms', indoorScene, 0.15],
    ['outdoor scenes', outdoorScene, 0.15],
  ] as const)('the shipped net (through the registry) reads depth from held-out %s far better than depth by row', async (kind, scene, margin) => {
    const net = await loadSegmentationDepthFromDisk();
    const training = seededRandom(1);
    const profile = fitRowProfile(Array.from({ length: 100 }, () => scene(training, width, height)));
    const random = seededRandom(77_777);
    const tensors = tf.memory().numTensors;
    const ours = [];
    const byRow = [];
    for (let i = 0; i < 40; i++) {
      // Twice the working size: the map is resized down and the depth bilinearly back up.
      const held = scene(random, 2 * width, 2 * height);
      const metres = depthFromLabelMap(net, held);
      expect(metres.length).toBe(held.metres.length);
      ours.push(depthMetrics(medianScaled(metres, held.metres), held.metres));
      byRow.push(depthMetrics(medianScaled(rowProfileDepth(profile, held.width, held.height).metres, held.metres), held.metres));
    }
    expect(tf.memory().numTensors).toBe(tensors);
    const [a, b] = [meanDepthMetrics(ours), meanDepthMetrics(byRow)];
    console.log(`40 held-out ${kind}: δ<1.25 ${a.delta1.toFixed(3)} (by row ${b.delta1.toFixed(3)}), abs rel ${a.absRel.toFixed(3)} (by row ${b.absRel.toFixed(3)})`);
    expect(a.delta1).toBeGreaterThan(b.delta1 + margin);
    expect(a.absRel).toBeLessThan(b.absRel);
    net.dispose();
  }, 60_000);
});
