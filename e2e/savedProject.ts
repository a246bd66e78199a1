// Reads what the studio autosaved (src/state/projectStorage.ts: idb-keyval store 'project' in the database
// 'zoomout-studio'), so a test can wait for the save to land before it reloads instead of sleeping, and check
// that nothing of a closed photo is left behind.
import type { Page } from '@playwright/test';

export interface SavedProject {
  /** Every key in the store. */
  keys: string[];
  /** Ids of the saved photos. */
  photos: string[];
  /** Each saved photo's record (`photo/<id>`) without its file, and the file's size (0 when it holds none). */
  records: Record<string, { envelope: Record<string, unknown>; fileSize: number }>;
  /** Each saved photo's parts (strokes, groundTruth …) by photo id. */
  parts: Record<string, Record<string, unknown>>;
  /** The project-wide parts (labels, segmentation, superpixels, view …), each saved as `project/<key>`. */
  project?: Record<string, unknown>;
}

export function savedProject(page: Page): Promise<SavedProject> {
  return page.evaluate(
    () =>
      new Promise<SavedProject>((resolve, reject) => {
        const empty: SavedProject = { keys: [], photos: [], records: {}, parts: {} };
        const open = indexedDB.open('zoomout-studio');
        // Never create the database here: that would leave it without the store the studio creates.
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => resolve(empty);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('project')) {
            db.close();
            resolve(empty);
            return;
          }
          const store = db.transaction('project', 'readonly').objectStore('project');
          const keys = store.getAllKeys();
          const values = store.getAll();
          values.onsuccess = () => {
            db.close();
            const out: SavedProject = { keys: keys.result.map(String), photos: [], records: {}, parts: {} };
            keys.result.forEach((k, i) => {
              const key = String(k);
              const value = values.result[i];
              if (key.startsWith('photo/')) {
                const { file, ...envelope } = value as { file?: unknown };
                out.photos.push(key.slice(6));
                out.records[key.slice(6)] = { envelope, fileSize: file instanceof Blob ? file.size : 0 };
              }
              else if (key.startsWith('parts/')) out.parts[key.slice(6)] = value;
              else if (key.startsWith('project/')) (out.project ??= {})[key.slice(8)] = value;
            });
            resolve(out);
          };
          values.onerror = () => {
            db.close();
            reject(values.error);
          };
        };
      }),
  );
}

/** Strokes saved across all photos. */
export async function savedStrokeCount(page: Page): Promise<number> {
  const saved = await savedProject(page);
  return Object.values(saved.parts).reduce((n, p) => n + ((p.strokes as unknown[] | undefined)?.length ?? 0), 0);
}
