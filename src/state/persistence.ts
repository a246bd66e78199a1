// The project document as the store sees it: each slice registers what it contributes — a project-wide part
// (label set, settings, session) or a per-photo part (strokes, ground truth …) — with how to select, validate
// and restore it. Autosave writes what changed right after each change (changes within one task coalesced
// into one transaction, started in that task), so a tab killed right after an edit keeps it. Project files
// use the same registry.
import { PROJECT_SCHEMA, type ProjectDocument } from '../core/project.ts';
import { saveParts } from './projectStorage.ts';
import type { StudioState } from './studioStore.ts';

/** A slice's share of the project: what to save (structured-cloneable) and how to restore it. */
export interface PersistedPart<T> {
  key: string;
  select(state: StudioState): T;
  /** Throws with a message for the user when `data` is not what this part saves. */
  validate?(data: unknown): T;
  restore(data: T): void;
}

/** A slice's share of each photo: undefined when the photo has none. */
export interface PersistedPhotoPart<T> {
  key: string;
  select(state: StudioState, photoId: string): T | undefined;
  validate?(data: unknown, state: StudioState): T;
  /** Restores the parts of several photos at once (restoring one at a time re-renders per photo). */
  restore(byPhoto: Record<string, T>): void;
}

/** A saved number, checked to lie in [min, max]. */
export function validNumber(v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !(v >= min && v <= max)) throw new Error(`${String(v)} is not a number in ${min}..${max}`);
  return v;
}

const parts: PersistedPart<unknown>[] = [];
const photoParts: PersistedPhotoPart<unknown>[] = [];

export function persistPart<T>(part: PersistedPart<T>): void {
  parts.push(part as PersistedPart<unknown>);
}

export function persistPhotoPart<T>(part: PersistedPhotoPart<T>): void {
  photoParts.push(part as PersistedPhotoPart<unknown>);
}

export function projectParts(s: StudioState): Record<string, unknown> {
  return Object.fromEntries(parts.map((p) => [p.key, p.select(s)]));
}

/** The store's project document: what autosave holds, photo by photo. */
export function projectDocument(s: StudioState): ProjectDocument {
  return {
    schema: PROJECT_SCHEMA,
    parts: projectParts(s),
    photos: s.photos.map((p) => ({
      id: p.id,
      name: p.name,
      order: p.order,
      originalWidth: p.originalWidth,
      originalHeight: p.originalHeight,
      contentHash: p.contentHash,
      parts: photoPartsOf(s, p.id),
    })),
  };
}

export function photoPartsOf(s: StudioState, photoId: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of photoParts) {
    const v = p.select(s, photoId);
    if (v !== undefined) out[p.key] = v;
  }
  return out;
}

/**
 * Restores the document's parts into the store (the photos themselves are restored by the photo slice first).
 * A part that fails validation is skipped and reported; the rest is restored.
 */
export function restoreDocument(document: Pick<ProjectDocument, 'parts' | 'photos'>, state: () => StudioState): string[] {
  const problems: string[] = [];
  for (const part of parts) {
    const data = document.parts[part.key];
    if (data === undefined) continue;
    try {
      part.restore(part.validate ? part.validate(data) : data);
    } catch (err) {
      problems.push(`saved ${part.key} could not be read: ${(err as Error).message}`);
    }
  }
  for (const part of photoParts) {
    const byPhoto: Record<string, unknown> = {};
    for (const photo of document.photos) {
      const data = photo.parts[part.key];
      if (data === undefined || !state().photos.some((p) => p.id === photo.id)) continue;
      try {
        byPhoto[photo.id] = part.validate ? part.validate(data, state()) : data;
      } catch (err) {
        problems.push(`${part.key} of ${photo.name} could not be read: ${(err as Error).message}`);
      }
    }
    part.restore(byPhoto);
  }
  return problems;
}

/** Same value, or plain objects whose own values are the same references (what `select` usually builds). */
function unchanged(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object' || Object.getPrototypeOf(a) !== Object.prototype) return false;
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => (a as Record<string, unknown>)[k] === (b as Record<string, unknown>)[k]);
}

/**
 * Saves what changed after every change of the store: each changed project-wide part and each changed photo's
 * parts as a record of its own, all in one transaction. Photos whose record is not yet written (`isStored` false) are
 * left to the photo slice, which writes them whole.
 */
export function autosave(
  subscribe: (listener: (s: StudioState) => void) => () => void,
  getState: () => StudioState,
  isStored: (photoId: string) => boolean,
  onError: (err: Error) => void,
): () => void {
  const lastProject = new Map<string, unknown>();
  const lastPhotos = new Map<string, Map<string, unknown>>();
  const flush = async () => {
    const s = getState();
    const project = Object.fromEntries(Object.entries(projectParts(s)).filter(([k, v]) => !lastProject.has(k) || !unchanged(lastProject.get(k), v)));
    const photos: [string, Record<string, unknown>][] = [];
    for (const photo of s.photos) {
      if (!isStored(photo.id)) continue;
      const own = photoPartsOf(s, photo.id);
      const last = lastPhotos.get(photo.id);
      const changed = !last || last.size !== Object.keys(own).length || Object.entries(own).some(([k, v]) => !unchanged(last.get(k), v));
      if (changed) photos.push([photo.id, own]);
    }
    if (Object.keys(project).length === 0 && photos.length === 0) return;
    for (const [k, v] of Object.entries(project)) lastProject.set(k, v);
    for (const [id, own] of photos) lastPhotos.set(id, new Map(Object.entries(own)));
    for (const id of lastPhotos.keys()) if (!s.photos.some((p) => p.id === id)) lastPhotos.delete(id);
    try {
      await saveParts(project, photos);
    } catch (err) {
      // Saved again on the next change.
      lastProject.clear();
      for (const [id] of photos) lastPhotos.delete(id);
      onError(err as Error);
    }
  };
  // Changes within one task are coalesced into one save, started before the task ends.
  let queued = false;
  return subscribe(() => {
    if (queued) return;
    queued = true;
    queueMicrotask(() => {
      queued = false;
      void flush();
    });
  });
}
