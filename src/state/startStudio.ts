// Start-up, once per page: reopen the saved project, start autosaving, load the model (which analyses the
// reopened photos), and relabel once the superpixels of every photo are in — not once per photo.
import { autosave } from './persistence.ts';
import { installDebugHandle } from './debugHandle.ts';
import { storedPhotos } from './photoSlice.ts';
import { sameRegions } from './superpixelSlice.ts';
import { loadProject } from './projectStorage.ts';
import { useStudio, type StudioState } from './studioStore.ts';
import { studioWorker } from './worker.ts';

let started = false;

/** Nothing is being analysed or cut into superpixels: a segmentation now sees every photo. */
const settled = (s: StudioState) => s.analysisProgress === undefined && !s.photos.some((p) => p.status === 'analysing') && !s.superpixelsPending;

export async function startStudio(): Promise<void> {
  if (started) return;
  started = true;
  installDebugHandle();
  const s = useStudio.getState();
  try {
    const { document, files, problems } = await loadProject();
    for (const problem of problems) s.notify('error', problem);
    await s.openDocument(document, files);
  } catch (err) {
    s.notify('error', `the saved project could not be reopened: ${(err as Error).message}`);
  }
  autosave(useStudio.subscribe, useStudio.getState, (id) => storedPhotos.has(id), (err) => useStudio.getState().notify('error', `autosave failed: ${err.message}`));
  studioWorker().onEvent((e) => {
    if (e.kind === 'photo-evicted') useStudio.getState().markEvicted(e.photoId);
    else useStudio.getState().setModelStatus(e.status);
  });
  // New superpixels change what strokes label: retrain and relabel, once things settle. The same regions again
  // (a photo the worker had evicted, analysed anew) change nothing the head learns: that photo is only labelled
  // on its new map, so paging through a large set or exporting it does not retrain once per photo.
  let stale = false;
  const remapped = new Set<string>();
  useStudio.subscribe((next, prev) => {
    if (next.superpixels !== prev.superpixels) {
      for (const [id, map] of Object.entries(next.superpixels)) {
        const before = prev.superpixels[id];
        if (map === before) continue;
        if (before && sameRegions(before, map)) remapped.add(id);
        else stale = true;
      }
    }
    if ((!stale && remapped.size === 0) || !settled(next)) return;
    if (stale) {
      stale = false;
      remapped.clear();
      if (next.suggestions.enabled || Object.values(next.strokes).some((l) => l.length > 0)) next.scheduleSegmentation();
      return;
    }
    // The photo on screen; the others are brought up to date when shown or exported (analysing them now could
    // evict the one being looked at).
    const shown = next.activePhotoId;
    if (shown && remapped.has(shown)) void next.bringUpToDate(shown).catch((err: Error) => next.notify('error', `the labels of this photo could not be updated: ${err.message}`));
    remapped.clear();
  });
  await s.loadModel();
}
