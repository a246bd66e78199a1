// A read-only window onto the store for browser tests and bug reports: `window.__zoomoutStudio.state()` is the
// store as it is now, `.workerMemory()` what the worker holds, `.document()` the project document as autosave and project files would write it (the
// same `projectParts`/`photoPartsOf` they use), so a test can compare what is in memory, in IndexedDB and what
// comes back after a reload.
//
// Installed always, not only with `?debug`: it exposes nothing that is not already in the user's own tab (their
// photos and labels, readable from IndexedDB and the page anyway; no keys, no network), costs two closures, and
// a handle that is always there lets a user paste `__zoomoutStudio.document()` into a bug report without
// reloading with another URL, which would lose exactly the state being reported. Read-only by convention: tests
// drive the studio through its UI, never through the store.
import type { ProjectDocument } from '../core/project.ts';
import { projectDocument } from './persistence.ts';
import type { WorkerMemory } from '../worker/modelProtocol.ts';
import { useStudio, type StudioState } from './studioStore.ts';
import { studioWorker } from './worker.ts';

export interface StudioDebugHandle {
  state(): StudioState;
  /** The in-memory project document: project-wide parts, and every open photo with its envelope and parts. */
  document(): ProjectDocument;
  /** What the worker holds: tfjs tensors and bytes, photos in its cache (for memory checks and bug reports). */
  workerMemory(): Promise<WorkerMemory>;
}

declare global {
  interface Window {
    __zoomoutStudio?: StudioDebugHandle;
  }
}

export function installDebugHandle(): void {
  if (typeof window === 'undefined') return;
  window.__zoomoutStudio = {
    state: () => useStudio.getState(),
    document: () => projectDocument(useStudio.getState()),
    workerMemory: () => studioWorker().request('memory', null),
  };
}
