// The project document: everything a user's work consists of, versioned, so autosave, reload and project
// files all hold the same thing. Project-wide parts (label set, settings, session) and per-photo parts
// (strokes, ground truth, tags, …) are named by key; each part's owner validates its own data, this module
// validates the envelope and migrates older schemas.

export const PROJECT_SCHEMA = 2;

export interface ProjectPhoto {
  id: string;
  name: string;
  /** Position in the photo list (ascending). */
  order: number;
  /** Size after EXIF orientation: what exported masks must match. */
  originalWidth: number;
  originalHeight: number;
  /** SHA-256 of the file's bytes, hex: the same photo added twice is recognised. */
  contentHash: string;
  /** The photo's own parts by key (strokes, groundTruth, tags …). */
  parts: Record<string, unknown>;
}

export interface ProjectDocument {
  schema: number;
  /** Project-wide parts by key (labels, segmentation, superpixels, session …). */
  parts: Record<string, unknown>;
  photos: ProjectPhoto[];
}

/** A project (or a part of one) that cannot be read: the message says what is wrong, for the user. */
export class ProjectError extends Error {}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isSize = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0 && (v as number) <= 1_000_000;

/** The photo's envelope, checked; its parts are left to their owners. */
export function validateProjectPhoto(v: unknown): ProjectPhoto {
  if (!isRecord(v)) throw new ProjectError('a photo entry is not an object');
  const { id, name, order, originalWidth, originalHeight, contentHash, parts } = v;
  if (typeof id !== 'string' || !/^[\w.-]{1,100}$/.test(id)) throw new ProjectError(`a photo has an invalid id (${JSON.stringify(id)?.slice(0, 40)})`);
  if (typeof name !== 'string' || name.length > 1000) throw new ProjectError(`photo ${id} has no valid name`);
  if (typeof order !== 'number' || !Number.isFinite(order)) throw new ProjectError(`photo ${id} has no valid order`);
  if (!isSize(originalWidth) || !isSize(originalHeight)) throw new ProjectError(`photo ${id} has no valid size`);
  if (typeof contentHash !== 'string' || !/^[0-9a-f]{0,128}$/.test(contentHash)) throw new ProjectError(`photo ${id} has no valid content hash`);
  if (!isRecord(parts)) throw new ProjectError(`photo ${id} has no parts`);
  return { id, name, order, originalWidth, originalHeight, contentHash, parts };
}

/** The document's envelope, checked and migrated to the current schema; a future schema is refused. */
export function validateProject(v: unknown): ProjectDocument {
  if (!isRecord(v)) throw new ProjectError('the project is not an object');
  const schema = v.schema;
  if (!Number.isInteger(schema) || (schema as number) < 1) throw new ProjectError('the project has no schema version');
  if ((schema as number) > PROJECT_SCHEMA) throw new ProjectError(`the project was written by a newer version of the studio (schema ${schema}, this one reads up to ${PROJECT_SCHEMA})`);
  if (!isRecord(v.parts)) throw new ProjectError('the project has no settings');
  if (!Array.isArray(v.photos)) throw new ProjectError('the project has no photo list');
  const photos = v.photos.map(validateProjectPhoto);
  const ids = new Set(photos.map((p) => p.id));
  if (ids.size !== photos.length) throw new ProjectError('the project lists a photo twice');
  return { schema: PROJECT_SCHEMA, parts: v.parts, photos: photos.sort((a, b) => a.order - b.order) };
}

/**
 * Schema 1 (autosave before project documents): a list of photo ids, each photo as {id, name}, and one record
 * per slice holding that slice's data for every photo (strokes and ground truth keyed by photo id).
 */
export interface ProjectV1 {
  photoIds: string[];
  photos: { id: string; name: string; originalWidth: number; originalHeight: number }[];
  parts: Record<string, unknown>;
}

const PER_PHOTO_V1 = ['strokes', 'groundTruth'];

export function migrateFromV1(v1: ProjectV1): ProjectDocument {
  const parts: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v1.parts)) if (!PER_PHOTO_V1.includes(key)) parts[key] = value;
  const photos = v1.photos.map((p, order): ProjectPhoto => {
    const own: Record<string, unknown> = {};
    for (const key of PER_PHOTO_V1) {
      const all = v1.parts[key];
      if (isRecord(all) && all[p.id] !== undefined) own[key] = all[p.id];
    }
    return { id: p.id, name: p.name, order, originalWidth: p.originalWidth, originalHeight: p.originalHeight, contentHash: '', parts: own };
  });
  return { schema: PROJECT_SCHEMA, parts, photos };
}
