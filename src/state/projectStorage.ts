// Autosave's storage: the project document in IndexedDB, one record per photo (its file and envelope), one per
// photo's parts and one per project-wide part — no shared list to read and rewrite, so concurrent saves
// cannot lose each other, and a change of one setting does not rewrite a large part beside it (fine-tuned
// weights are megabytes). Every write is a single transaction, started right away, landing in order:
// closing a photo deletes all of its records at once. Schema 1 (a photo-id list plus one record per slice)
// and project-wide parts kept together in the `project` record are migrated on first load.
import { createStore, entries, promisifyRequest, type UseStore } from 'idb-keyval';
import { migrateFromV1, PROJECT_SCHEMA, validateProjectPhoto, type ProjectDocument, type ProjectPhoto } from '../core/project.ts';

export interface StoredPhoto extends Omit<ProjectPhoto, 'parts'> {
  file: Blob;
}

const PROJECT = 'project';
const photoKey = (id: string) => `photo/${id}`;
const partsKey = (id: string) => `parts/${id}`;
const projectPartKey = (key: string) => `project/${key}`;
// The storage layout's own version, one above the document schema it holds: a studio that keeps the parts
// inside the `project` record (schema 2) would read this layout as empty, so it is told the project is newer.
const STORAGE_SCHEMA = PROJECT_SCHEMA + 1;
const PROJECT_MARKER = { schema: STORAGE_SCHEMA };

let db: UseStore | undefined = typeof indexedDB === 'undefined' ? undefined : createStore('zoomout-studio', 'project');

/** Tests point storage at a database of their own. */
export function useDatabase(name: string): void {
  db = createStore(name, 'project');
}

const pending = new Set<Promise<unknown>>();

/**
 * Puts (value) and deletes (undefined) in one transaction, started at once: IndexedDB runs read-write
 * transactions on one store in the order they were created, so writes land in order without waiting for each
 * other — and a write started in the event that made the change is committed even if the tab closes next.
 */
function transact(writes: [string, unknown][]): Promise<void> {
  const store = db;
  if (!store || writes.length === 0) return Promise.resolve();
  const done = store('readwrite', (s) => {
    for (const [key, value] of writes) {
      if (value === undefined) s.delete(key);
      else s.put(value, key);
    }
    return promisifyRequest(s.transaction);
  });
  pending.add(done);
  void done.finally(() => pending.delete(done)).catch(() => undefined);
  return done;
}

export function savePhoto(photo: StoredPhoto, parts: Record<string, unknown>): Promise<void> {
  return transact([
    [photoKey(photo.id), photo],
    [partsKey(photo.id), parts],
  ]);
}

export function deletePhoto(id: string): Promise<void> {
  return transact([
    [photoKey(id), undefined],
    [partsKey(id), undefined],
  ]);
}

/** The project-wide parts that changed (undefined: a part now absent) and the photos' parts that changed, in one transaction. */
export function saveParts(project: Record<string, unknown>, photos: [string, Record<string, unknown>][]): Promise<void> {
  const changed = Object.entries(project);
  return transact([
    ...(changed.length ? [[PROJECT, PROJECT_MARKER] as [string, unknown]] : []),
    ...changed.map(([key, value]): [string, unknown] => [projectPartKey(key), value]),
    ...photos.map(([id, parts]): [string, unknown] => [partsKey(id), parts]),
  ]);
}

/** Resolves once every write started so far has landed (or failed). */
export async function flushed(): Promise<void> {
  await Promise.allSettled([...pending]);
}

export interface LoadedProject {
  document: ProjectDocument;
  files: Map<string, Blob>;
  /** Records that could not be read, one line each (they are left in storage untouched). */
  problems: string[];
}

/** The saved project, photos in their order; migrates earlier layouts (schema 1, parts in one record) in place first. */
export async function loadProject(): Promise<LoadedProject> {
  const empty: LoadedProject = { document: { schema: PROJECT_SCHEMA, parts: {}, photos: [] }, files: new Map(), problems: [] };
  const store = db;
  if (!store) return empty;
  await flushed();
  let all = new Map(await entries<string, unknown>(store));
  if (all.has('photoIds') && !all.has(PROJECT)) {
    await migrateV1(all);
    all = new Map(await entries<string, unknown>(store));
  }
  const result = empty;
  const project = all.get(PROJECT) as { schema?: number; parts?: Record<string, unknown> } | undefined;
  if (project && (project.schema ?? 0) > STORAGE_SCHEMA) {
    result.problems.push(`the saved project was written by a newer version of the studio (schema ${project.schema}); it is left as it is`);
    return result;
  }
  if (project?.parts) {
    await splitProjectParts(all, project.parts);
    all = new Map(await entries<string, unknown>(store));
  }
  for (const [key, value] of all) if (key.startsWith('project/')) result.document.parts[key.slice(8)] = value;
  for (const [key, value] of all) {
    if (!key.startsWith('photo/')) continue;
    try {
      const { file, ...envelope } = value as StoredPhoto;
      if (!(file instanceof Blob)) throw new Error('its file is missing');
      const photo = validateProjectPhoto({ ...envelope, parts: all.get(partsKey(envelope.id)) ?? {} });
      result.document.photos.push(photo);
      result.files.set(photo.id, file);
    } catch (err) {
      result.problems.push(`a saved photo (${key.slice(6)}) could not be read: ${(err as Error).message}`);
    }
  }
  result.document.photos.sort((a, b) => a.order - b.order);
  return result;
}

/** Project-wide parts kept together in one record → one record each, in one transaction; a part already in a record of its own wins. */
async function splitProjectParts(all: Map<string, unknown>, parts: Record<string, unknown>): Promise<void> {
  const writes: [string, unknown][] = Object.entries(parts).filter(([key]) => !all.has(projectPartKey(key))).map(([key, value]) => [projectPartKey(key), value]);
  await transact([...writes, [PROJECT, PROJECT_MARKER]]);
}

/** Schema 1 → 2 in one transaction: the old records are replaced only if all new ones are written. */
async function migrateV1(all: Map<string, unknown>): Promise<void> {
  const ids = (all.get('photoIds') as string[] | undefined) ?? [];
  const old = ids.map((id) => all.get(`photo:${id}`) as { id: string; name: string; file: Blob } | undefined).filter((p) => p?.file instanceof Blob) as { id: string; name: string; file: Blob }[];
  const sizes = await Promise.all(old.map((p) => imageSize(p.file)));
  const parts: Record<string, unknown> = {};
  for (const [key, value] of all) if (key.startsWith('part:')) parts[key.slice(5)] = value;
  const doc = migrateFromV1({ photoIds: ids, photos: old.map((p, i) => ({ id: p.id, name: p.name, ...sizes[i] })), parts });
  const writes: [string, unknown][] = [...all.keys()].filter((k) => k === 'photoIds' || k.startsWith('photo:') || k.startsWith('part:')).map((k) => [k, undefined]);
  writes.push([PROJECT, PROJECT_MARKER], ...Object.entries(doc.parts).map(([key, value]): [string, unknown] => [projectPartKey(key), value]));
  doc.photos.forEach((p, i) => {
    const { parts: own, ...envelope } = p;
    writes.push([photoKey(p.id), { ...envelope, file: old[i].file }], [partsKey(p.id), own]);
  });
  await transact(writes);
}

async function imageSize(file: Blob): Promise<{ originalWidth: number; originalHeight: number }> {
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const size = { originalWidth: bitmap.width, originalHeight: bitmap.height };
    bitmap.close();
    return size;
  } catch {
    // Unreadable photos still migrate; opening them reports the problem.
    return { originalWidth: 1, originalHeight: 1 };
  }
}
