// The tag-trained class nets the worker holds, by class name (thesis §4.3.1; docs/weak.md), and how they enter a
// photo's localization: a class with a net takes its map from the net instead of the detector (which knows
// only COCO's classes), unless the user tagged the photo as not showing it.
import type * as tf from '@tensorflow/tfjs';
import type { Localization } from '../ml/detectorLocalization.ts';
import type { LocalizationNets } from '../ml/localizationNet.ts';
import { localizationFeatures, tagClassMap } from '../ml/tagClassNet.ts';
import type { FeatureLayout } from '../ml/zoomoutFeatures.ts';
import type { SuggestionSettings } from './segmentationProtocol.ts';

export const tagClassNets = new Map<string, LocalizationNets>();

/** `localization` with the columns of the classes `settings` names as tag-trained, for photo `photoId`. */
export async function withTagClasses(
  localization: Localization,
  photo: { features: tf.Tensor2D; layout: FeatureLayout },
  settings: Omit<SuggestionSettings, 'off'>,
  photoId: string,
): Promise<Localization> {
  const used = (settings.tagClasses ?? []).filter((t) => tagClassNets.has(t.name) && settings.classNames.indexOf(t.name) > 0);
  if (used.length === 0) return localization;
  const { classes } = localization;
  const scores = localization.scores.slice();
  const present = new Set(localization.present);
  const features = localizationFeatures(photo.features, photo.layout);
  try {
    for (const t of used) {
      const c = settings.classNames.indexOf(t.name);
      const n = scores.length / classes;
      const map = t.lacks.includes(photoId) ? undefined : await tagClassMap(tagClassNets.get(t.name)!, features);
      for (let i = 0; i < n; i++) scores[i * classes + c] = map ? map.scores[i] : 0;
      if (map?.present) present.add(c);
      else present.delete(c);
    }
  } finally {
    features.dispose();
  }
  return { scores, classes, present: [...present].sort((a, b) => a - b) };
}

/** What identifies the tag classes' effect on a photo's suggestions (for caching them). */
export function tagClassKey(settings: Omit<SuggestionSettings, 'off'>, photoId: string): string {
  return JSON.stringify((settings.tagClasses ?? []).filter((t) => tagClassNets.has(t.name)).map((t) => [t.name, t.version, t.lacks.includes(photoId)]));
}
