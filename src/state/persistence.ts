// Autosave: every photo the user adds (its original file) and each slice's project data are kept in
// IndexedDB, so work survives a reload or a crash. Slices register what they persist; saving is debounced
// and happens on any change of the registered data.
import { createStore, del, get as idbGet, set as idbSet, type UseStore } from 'idb-keyval';
import type { StudioState } from './studioStore.ts';

const db: UseStore | undefined = typeof indexedDB === 'undefined' ? undefined : createStore('zoomout-studio', 'project');

export interface SavedPhoto {
  id: string;
  name: string;
  file: Blob;
}

export async function savePhoto(photo: SavedPhoto): Promise<void> {
  if (!db) return;
  await idbSet(`photo:${photo.id}`, photo, db);
  const ids = ((await idbGet<string[]>('photoIds', db)) ?? []).filter((i) => i !== photo.id);
  await idbSet('photoIds', [...ids, photo.id], db);
}

export async function deletePhoto(id: string): Promise<void> {
  if (!db) return;
  await del(`photo:${id}`, db);
  await idbSet('photoIds', ((await idbGet<string[]>('photoIds', db)) ?? []).filter((i) => i !== id), db);
}

export async function savedPhotos(): Promise<SavedPhoto[]> {
  if (!db) return [];
  const ids = (await idbGet<string[]>('photoIds', db)) ?? [];
  const photos = await Promise.all(ids.map((id) => idbGet<SavedPhoto>(`photo:${id}`, db)));
  return photos.filter((p): p is SavedPhoto => p !== undefined);
}

/** A slice's share of the project document: what to save (structured-cloneable) and how to restore it. */
export interface PersistedPart<T> {
  key: string;
  select(state: StudioState): T;
  restore(data: T): void;
}

const parts: PersistedPart<unknown>[] = [];

export function persistPart<T>(part: PersistedPart<T>): void {
  parts.push(part as PersistedPart<unknown>);
}

export async function restoreParts(): Promise<void> {
  if (!db) return;
  for (const part of parts) {
    const data = await idbGet(`part:${part.key}`, db);
    if (data !== undefined) part.restore(data);
  }
}

/** Same value, or plain objects whose own values are the same references (what `select` usually builds). */
function unchanged(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Object.getPrototypeOf(a) !== Object.prototype) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

/** Saves each registered part shortly after it changes (shallowly compared). */
export function autosaveParts(subscribe: (listener: (s: StudioState) => void) => () => void, delayMs = 300): () => void {
  const last = new Map<string, unknown>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let latest: StudioState | undefined;
  const flush = () => {
    timer = undefined;
    if (!db || !latest) return;
    for (const part of parts) {
      const value = part.select(latest);
      if (unchanged(last.get(part.key), value)) continue;
      last.set(part.key, value);
      void idbSet(`part:${part.key}`, value, db);
    }
  };
  return subscribe((s) => {
    latest = s;
    timer ??= setTimeout(flush, delayMs);
  });
}
