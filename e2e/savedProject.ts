// Reads what the studio autosaved (src/state/persistence.ts: idb-keyval store 'project' in the database
// 'zoomout-studio'), so a test can wait for the save to land before it reloads instead of sleeping.
import type { Page } from '@playwright/test';

/** The saved value under `key` ('photoIds', 'part:strokes', 'part:segmentation', …), or undefined. */
export function savedValue<T>(page: Page, key: string): Promise<T | undefined> {
  return page.evaluate(
    (key) =>
      new Promise<T | undefined>((resolve, reject) => {
        const open = indexedDB.open('zoomout-studio');
        // Never create the database here: that would leave it without the store the studio creates.
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => resolve(undefined);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('project')) {
            db.close();
            resolve(undefined);
            return;
          }
          const get = db.transaction('project', 'readonly').objectStore('project').get(key);
          get.onsuccess = () => {
            db.close();
            resolve(get.result as T | undefined);
          };
          get.onerror = () => {
            db.close();
            reject(get.error);
          };
        };
      }),
    key,
  );
}
