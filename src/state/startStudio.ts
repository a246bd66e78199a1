// Start-up, once per page: reopen the saved project, start autosaving, load the model (which analyses the
// reopened photos).
import { autosaveParts, restoreParts } from './persistence.ts';
import { useStudio } from './studioStore.ts';

let started = false;

export async function startStudio(): Promise<void> {
  if (started) return;
  started = true;
  const s = useStudio.getState();
  try {
    // Photos first: parts keyed by photo (ground truth) are pruned when their photo is missing.
    await s.restorePhotos();
    await restoreParts();
  } catch (err) {
    s.notify('error', `the saved project could not be reopened: ${(err as Error).message}`);
  }
  autosaveParts(useStudio.subscribe);
  // New superpixels for a photo change what its strokes label: relabel.
  useStudio.subscribe((next, prev) => {
    if (next.superpixels !== prev.superpixels && Object.values(next.strokes).some((l) => l.length > 0)) next.scheduleSegmentation();
  });
  await s.loadModel();
}
