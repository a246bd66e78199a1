// A new class learnt on the fly from image-level tags (thesis §4.3.1, "adding new classes on the fly"; docs/weak.md):
// one localization net for one class, trained on the photos the user tagged as showing it and as not showing it,
// independent of every other class's net. Saved as plain typed arrays so the project keeps it.
import * as tf from '@tensorflow/tfjs';
import { ClassifierHead, type DenseWeights } from './classifierHead.ts';
import { LOCALIZATION_DEFAULTS, LocalizationNets, tagLocalization, trainLocalizationNets, type LocalizationOptions, type MilPooling } from './localizationNet.ts';
import type { FeatureLayout } from './zoomoutFeatures.ts';

/**
 * The columns a class's localization net reads — the conv levels (LOCALIZATION_DEFAULTS.levels), about a third
 * of the zoom-out width — as a layout of their own, so a tagged photo's features are kept at that width.
 */
export function localizationColumns(layout: FeatureLayout): { columns: Int32Array; layout: FeatureLayout } {
  const columns: number[] = [];
  const blocks: FeatureLayout['blocks'] = [];
  for (const b of layout.blocks) {
    if (!LOCALIZATION_DEFAULTS.levels.includes(b.level)) continue;
    blocks.push({ ...b, start: columns.length, end: columns.length + b.end - b.start });
    for (let c = b.start; c < b.end; c++) columns.push(c);
  }
  return { columns: Int32Array.from(columns), layout: { blocks, width: columns.length } };
}

/** A photo's features [superpixels × layout.width] cut to `localizationColumns` (a new tensor). */
export function localizationFeatures(features: tf.Tensor2D, layout: FeatureLayout): tf.Tensor2D {
  return tf.tidy(() => tf.gather(features, tf.tensor1d(localizationColumns(layout).columns, 'int32'), 1) as tf.Tensor2D);
}

export interface SavedTagClassNet {
  hidden: number;
  inputDim: number;
  columns: Int32Array;
  mean: Float32Array;
  scale: Float32Array;
  layers: DenseWeights[];
  pooling: MilPooling;
  threshold: number;
}

export interface TagClassPhoto {
  /** Raw zoom-out features [superpixels × layout.width]. */
  features: tf.Tensor2D;
  shows: boolean;
}

/** The class's net (index 0 of a one-class set), trained on every photo that shows it and as many that do not. */
export async function trainTagClassNet(photos: readonly TagClassPhoto[], layout: FeatureLayout, options: Partial<LocalizationOptions> = {}): Promise<LocalizationNets> {
  if (!photos.some((p) => p.shows) || !photos.some((p) => !p.shows)) throw new Error('tag at least one photo as showing the class and one as not');
  const nets = await trainLocalizationNets(
    photos.map((p) => ({ features: p.features, tags: new Set(p.shows ? [0] : []) })),
    layout,
    1,
    [0],
    options,
  );
  return nets;
}

/** Per superpixel, the class's localization S(i) (0 where the net puts it off), and whether it is on anywhere. */
export async function tagClassMap(nets: LocalizationNets, features: tf.Tensor2D): Promise<{ scores: Float32Array; present: boolean }> {
  const { scores, present } = await tagLocalization(nets, features);
  return { scores, present: present.includes(0) };
}

export async function saveTagClassNet(nets: LocalizationNets): Promise<SavedTagClassNet> {
  const net = nets.nets.get(0);
  if (!net) throw new Error('no net to save');
  return {
    hidden: net.config.hidden[0],
    inputDim: net.inputDim,
    columns: nets.columns.slice(),
    mean: nets.standardization.mean.slice(),
    scale: nets.standardization.scale.slice(),
    layers: await net.weights(),
    pooling: nets.options.pooling,
    threshold: nets.options.threshold,
  };
}

export function loadTagClassNet(saved: SavedTagClassNet): LocalizationNets {
  const head = ClassifierHead.fromWeights({ hidden: [saved.hidden], dropout: 0 }, saved.inputDim, 2, saved.layers);
  return new LocalizationNets(new Map([[0, head]]), 1, { mean: saved.mean, scale: saved.scale }, saved.columns, {
    ...LOCALIZATION_DEFAULTS,
    hidden: saved.hidden,
    pooling: saved.pooling,
    threshold: saved.threshold,
  });
}

/** A saved net, checked: every array the size its widths say. */
export function validateTagClassNet(v: unknown): SavedTagClassNet {
  const n = v as Partial<SavedTagClassNet>;
  const columns = n?.columns;
  const layers = n?.layers;
  const h = n?.hidden ?? 0;
  const ok =
    columns instanceof Int32Array &&
    n!.inputDim === columns.length &&
    Number.isInteger(h) && h > 0 &&
    n!.mean instanceof Float32Array &&
    n!.scale instanceof Float32Array &&
    n!.mean.length === n!.scale.length &&
    columns.every((c) => c >= 0 && c < n!.mean!.length) &&
    Array.isArray(layers) && layers.length === 2 &&
    layers.every((l) => l?.kernel instanceof Float32Array && l.bias instanceof Float32Array) &&
    layers[0].kernel.length === columns.length * h && layers[0].bias.length === h &&
    layers[1].kernel.length === h * 2 && layers[1].bias.length === 2 &&
    (n!.pooling === 'global' || n!.pooling === 'pixel') &&
    typeof n!.threshold === 'number';
  if (!ok) throw new Error('damaged tag-trained class net');
  return n as SavedTagClassNet;
}
