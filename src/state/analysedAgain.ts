// Photos a task needs in the worker again (measured depth, tags: their features go over once a photo has been
// analysed): analyse them, then wait, without polling, until the store says the worker holds each — or give up
// after a while and let the task go on without the rest, which it then names.
import type { StoreApi } from 'zustand';
import type { StudioState } from './studioStore.ts';

/** How long a task waits for its photos to be analysed again. */
const ANALYSIS_WAIT_MS = 60_000;

export async function analysedAgain(api: StoreApi<StudioState>, ids: readonly string[], held: (id: string) => boolean): Promise<void> {
  const absent = ids.filter((id) => !held(id));
  if (absent.length === 0) return;
  await api.getState().analysePhotos(absent);
  const done = () => absent.every((id) => held(id) || !api.getState().photos.some((p) => p.id === id));
  await new Promise<void>((resolve) => {
    if (done()) return resolve();
    const timer = setTimeout(finish, ANALYSIS_WAIT_MS);
    const unsubscribe = api.subscribe(() => {
      if (done()) finish();
    });
    function finish() {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
}
