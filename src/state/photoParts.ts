// Everything the store holds per photo, in one place, so closing a photo leaves nothing of it behind.
import type { StudioState } from './studioStore.ts';

function omit<T>(record: Record<string, T>, id: string): Record<string, T> {
  if (!(id in record)) return record;
  const rest = { ...record };
  delete rest[id];
  return rest;
}

/** The store without any per-photo data of `id` (the photo list itself is the photo slice's). */
export function withoutPhoto(s: StudioState, id: string): Partial<StudioState> {
  return {
    strokes: omit(s.strokes, id),
    groundTruth: omit(s.groundTruth, id),
    measuredDepth: omit(s.measuredDepth, id),
    depthChecks: omit(s.depthChecks, id),
    photoTags: omit(s.photoTags, id),
    superpixels: omit(s.superpixels, id),
    segmentations: omit(s.segmentations, id),
    suggestionsOff: omit(s.suggestionsOff, id),
    draft: s.draft?.photoId === id ? undefined : s.draft,
    oracle: s.oracle?.photoId === id ? undefined : s.oracle,
  };
}
