// Label space in the studio (thesis §5.3.1, §5.4.3; docs/labelAutoencoder.md). The label-space view: the
// active photo's current segmentation passed through the label autoencoder whenever it changes, so the user
// sees which parts the label model finds implausible. Label-space search: a clicked class region compared,
// by the autoencoder's bottleneck features, with every region of the open photos' segmentations.
import type { StateCreator } from 'zustand';
import { VOC_CLASSES } from '../core/labelSets.ts';
import { IGNORE_LABEL, type LabelSet } from '../core/types.ts';
import { isCancelled } from '../worker/client.ts';
import type { LabelSearchResult, LabelSpaceViewResult } from '../worker/labelSpaceProtocol.ts';
import { segmentationPixels, type PixelSegmentation } from './segmentationPixels.ts';
import type { StudioState } from './studioStore.ts';
import { studioWorker } from './worker.ts';

export type LabelSpaceView =
  /** `previous`: the photo's last view, shown until this one arrives. */
  | { photoId: string; pixels: PixelSegmentation; status: 'running'; previous?: { pixels: PixelSegmentation; result: LabelSpaceViewResult } }
  | { photoId: string; pixels: PixelSegmentation; status: 'unavailable'; reason: string }
  | { photoId: string; pixels: PixelSegmentation; status: 'ready'; result: LabelSpaceViewResult };

export type LabelSearch = { photoId: string; status: 'running' } | ({ photoId: string; status: 'ready' } & LabelSearchResult);

export interface LabelSpaceSlice {
  /** The label-space view of the active photo's current segmentation; undefined while it has none. */
  labelSpace?: LabelSpaceView;
  /** The last label-space search. */
  labelSearch?: LabelSearch;
  /** Searches the open photos' segmentations for regions like the class region under (x, y) of the photo. */
  findSimilarRegions(photoId: string, x: number, y: number): Promise<void>;
}

/** Regions a search returns. */
const SEARCH_RESULTS = 8;

/** The pointer tool that picks a search's region (ui/imageTools.ts). */
export const FIND_SIMILAR_TOOL = 'find-similar';

/**
 * Why the shipped label model cannot read this segmentation, or undefined when it can: it was trained on the
 * 21 PASCAL VOC classes, by index, so the label set must begin with them and the map may use no other class.
 */
export function labelSpaceUnavailable(labelSet: LabelSet, classes: Uint8Array): string | undefined {
  const names = labelSet.classes.map((c) => c.name);
  if (VOC_CLASSES.some((name, i) => names[i] !== name)) {
    const which = labelSet.id === 'coco' ? 'COCO' : 'not VOC’s';
    return `the label model knows the 21 PASCAL VOC classes; this project’s classes are ${which} (switch to the VOC preset to use it)`;
  }
  const seen = new Uint8Array(256);
  for (let i = 0; i < classes.length; i++) seen[classes[i]] = 1;
  const unknown = labelSet.classes.filter((_, i) => i >= VOC_CLASSES.length && i !== IGNORE_LABEL && seen[i]).map((c) => c.name);
  return unknown.length ? `the segmentation uses ${unknown.join(', ')}, which the label model (21 VOC classes) does not know` : undefined;
}

export const createLabelSpaceSlice: StateCreator<StudioState, [], [], LabelSpaceSlice> = (set, get, api) => {
  let viewRun: AbortController | undefined;
  let searchRun: AbortController | undefined;
  let shown: { id?: string; pixels?: PixelSegmentation; labelSet?: LabelSet } = {};

  function refreshView(s: StudioState): void {
    const id = s.activePhotoId;
    const pixels = id ? segmentationPixels(s, id) : undefined;
    if (shown.id === id && shown.pixels === pixels && shown.labelSet === s.labelSet) return;
    shown = { id, pixels, labelSet: s.labelSet };
    viewRun?.abort();
    viewRun = undefined;
    if (!id || !pixels) {
      if (s.labelSpace) set({ labelSpace: undefined });
      return;
    }
    const reason = labelSpaceUnavailable(s.labelSet, pixels.classes);
    if (reason) {
      set({ labelSpace: { photoId: id, pixels, status: 'unavailable', reason } });
      return;
    }
    const run = new AbortController();
    viewRun = run;
    const known = s.labelSpace?.photoId === id ? s.labelSpace : undefined;
    const previous = known?.status === 'ready' ? { pixels: known.pixels, result: known.result } : known?.status === 'running' ? known.previous : undefined;
    set({ labelSpace: { photoId: id, pixels, status: 'running', previous } });
    studioWorker()
      .request('label-space', { map: { width: pixels.width, height: pixels.height, classes: pixels.classes } }, { signal: run.signal })
      .then((result) => {
        // A newer segmentation or another photo replaced this one while it ran: its own run brings its view.
        if (get().labelSpace?.pixels === pixels && !run.signal.aborted) set({ labelSpace: { photoId: id, pixels, status: 'ready', result } });
      })
      .catch((err: unknown) => {
        if (isCancelled(err) || run.signal.aborted) return;
        set({ labelSpace: { photoId: id, pixels, status: 'unavailable', reason: (err as Error).message } });
      });
  }

  /** Nothing of a closed photo stays: a search from it is dropped, regions found in it are removed. */
  function forgetClosedPhotos(s: StudioState, search: LabelSearch): void {
    const open = new Set(s.photos.map((p) => p.id));
    if (!open.has(search.photoId)) {
      searchRun?.abort();
      set({ labelSearch: undefined });
    } else if (search.status === 'ready' && search.matches.some((m) => !open.has(m.photoId))) {
      set({ labelSearch: { ...search, matches: search.matches.filter((m) => open.has(m.photoId)) } });
    }
  }

  // Every change that can alter the active photo's pixels (its segmentation, superpixels, refinement, the
  // photo itself) and the label set, which decides whether the label model applies.
  api.subscribe((s, prev) => {
    if (s.photos !== prev.photos && s.labelSearch) forgetClosedPhotos(s, s.labelSearch);
    if (s.activePhotoId === prev.activePhotoId && s.segmentations === prev.segmentations && s.superpixels === prev.superpixels && s.refinements === prev.refinements && s.crf === prev.crf && s.labelSet === prev.labelSet) return;
    refreshView(s);
  });

  return {
    async findSimilarRegions(photoId, x, y) {
      const s = get();
      const query = segmentationPixels(s, photoId);
      if (!query) {
        s.notify('info', 'Find similar regions: this photo has no segmentation yet');
        return;
      }
      if (x < 0 || y < 0 || x >= query.width || y >= query.height) return;
      const reason = labelSpaceUnavailable(s.labelSet, query.classes);
      if (reason) {
        s.notify('info', `Find similar regions: ${reason}`);
        return;
      }
      // Every open photo whose segmentation the label model can read is searched.
      const photos = s.photos.flatMap((p) => {
        const pixels = segmentationPixels(s, p.id);
        return pixels && !labelSpaceUnavailable(s.labelSet, pixels.classes) ? [{ photoId: p.id, map: { width: pixels.width, height: pixels.height, classes: pixels.classes } }] : [];
      });
      searchRun?.abort();
      const run = new AbortController();
      searchRun = run;
      set({ labelSearch: { photoId, status: 'running' } });
      try {
        const result = await studioWorker().request('label-search', { query: { photoId, x: Math.floor(x), y: Math.floor(y) }, photos, count: SEARCH_RESULTS }, { signal: run.signal });
        if (run.signal.aborted) return;
        // A photo closed while the search ran leaves nothing behind either.
        const open = new Set(get().photos.map((p) => p.id));
        set({ labelSearch: { photoId, status: 'ready', ...result, matches: result.matches.filter((m) => open.has(m.photoId)) } });
      } catch (err) {
        if (isCancelled(err) || run.signal.aborted) return;
        set({ labelSearch: undefined });
        get().notify('error', `Find similar regions: ${(err as Error).message}`);
      }
    },
  };
};
