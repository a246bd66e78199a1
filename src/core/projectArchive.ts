// Project files: the whole project as one zip — `project.json` (the project document, core/project.ts) and
// `photos/<id>.<ext>` (each photo's file as it was added). Reading one trusts nothing: the zip's directory is
// read strictly and checked (paths, duplicates, unexpected entries, declared sizes against limits) before a
// single byte is unpacked; unpacking streams with a byte budget, so an entry that holds more than it declares
// (a zip bomb that lies) is stopped as soon as it overruns; every entry's CRC is checked; the document must
// pass validateProject (a newer schema is refused); every photo needs exactly one file that really is an image
// of the type its name says, with the content hash the document recorded. Anything wrong is one ProjectError
// with one message for the user, and nothing is returned.
import { Inflate, zipSync, type Zippable } from 'fflate';
import { ProjectError, validateProject, type ProjectDocument } from './project.ts';

/** A photo's file as the project file holds it. */
export interface ArchiveFile {
  bytes: Uint8Array;
  /** The image type, e.g. image/png (on reading: from the file's magic bytes). */
  mime: string;
}

export interface ProjectArchive {
  document: ProjectDocument;
  /** Each photo's file by photo id. */
  files: Map<string, ArchiveFile>;
}

/** What a project file may hold; reading refuses anything larger. */
export interface ArchiveLimits {
  /** The zip itself. */
  maxArchiveBytes: number;
  /** project.json, unpacked. */
  maxDocumentBytes: number;
  /** One photo's file, unpacked. */
  maxPhotoBytes: number;
  /** Everything unpacked together. */
  maxTotalBytes: number;
  /** Entries in the zip. */
  maxEntries: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxArchiveBytes: 2048 * MiB,
  maxDocumentBytes: 256 * MiB,
  maxPhotoBytes: 256 * MiB,
  maxTotalBytes: 2048 * MiB,
  maxEntries: 50_000,
};

export const DOCUMENT_ENTRY = 'project.json';
const PHOTO_DIR = 'photos/';

// ---------------------------------------------------------------------------------------------- image types

interface ImageType {
  mime: string;
  /** The extension written; `also` are further ones accepted on reading. */
  ext: string;
  also?: string[];
}

const PNG: ImageType = { mime: 'image/png', ext: 'png' };
const JPEG: ImageType = { mime: 'image/jpeg', ext: 'jpg', also: ['jpeg'] };
const GIF: ImageType = { mime: 'image/gif', ext: 'gif' };
const WEBP: ImageType = { mime: 'image/webp', ext: 'webp' };
const BMP: ImageType = { mime: 'image/bmp', ext: 'bmp' };
const AVIF: ImageType = { mime: 'image/avif', ext: 'avif' };
const IMAGE_TYPES = [PNG, JPEG, GIF, WEBP, BMP, AVIF];
const IMAGE_EXTS = new Set(IMAGE_TYPES.flatMap((t) => [t.ext, ...(t.also ?? [])]));

const ascii = (b: Uint8Array, at: number, text: string) => [...text].every((c, i) => b[at + i] === c.charCodeAt(0));
const u32be = (b: Uint8Array, at: number) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;

/** The image type by the file's magic bytes (not its name or stated type), or undefined for anything else. */
export function sniffImageType(b: Uint8Array): ImageType | undefined {
  if (b.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v)) return PNG;
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return JPEG;
  if (b.length >= 6 && (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a'))) return GIF;
  if (b.length >= 12 && ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return WEBP;
  // 'BM' alone is too weak (text may start so): the DIB header that follows must have a known size.
  if (b.length >= 26 && ascii(b, 0, 'BM') && [12, 40, 52, 56, 64, 108, 124].includes(b[14] | (b[15] << 8) | (b[16] << 16) | (b[17] << 24))) return BMP;
  if (b.length >= 16 && ascii(b, 4, 'ftyp')) {
    // ISO-BMFF: the major brand, then compatible brands up to the end of the ftyp box.
    const end = Math.min(u32be(b, 0), b.length, 256);
    for (let at = 8; at + 4 <= end; at += at === 8 ? 8 : 4) if (ascii(b, at, 'avif') || ascii(b, at, 'avis')) return AVIF;
  }
  return undefined;
}

// ------------------------------------------------------------------------------------- typed arrays in JSON

const TYPED_ARRAYS = {
  Uint8Array,
  Uint8ClampedArray,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
  Int32Array,
  Float32Array,
  Float64Array,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
const isTypedArrayName = (n: string): n is TypedArrayName => Object.hasOwn(TYPED_ARRAYS, n);
const tagOf = (v: object) => Object.prototype.toString.call(v).slice(8, -1);

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUE = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUE[B64.charCodeAt(i)] = i;

export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 3 * 16384;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    let s = '';
    for (let i = start; i < end; i += 3) {
      const n = (bytes[i] << 16) | ((i + 1 < end ? bytes[i + 1] : 0) << 8) | (i + 2 < end ? bytes[i + 2] : 0);
      s += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < end ? B64[(n >> 6) & 63] : '=') + (i + 2 < end ? B64[n & 63] : '=');
    }
    parts.push(s);
  }
  return parts.join('');
}

/** Strict: padded, no whitespace, nothing but the base64 alphabet; undefined otherwise. */
export function fromBase64(s: string): Uint8Array | undefined {
  if (s.length % 4 !== 0) return undefined;
  const pad = s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((s.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < s.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = s.charCodeAt(i + k);
      const last = i + 4 === s.length;
      if (last && c === 61 /* = */ && k >= 4 - pad) {
        n <<= 6;
        continue;
      }
      const v = c < 128 ? B64_VALUE[c] : -1;
      if (v < 0) return undefined;
      n = (n << 6) | v;
    }
    out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** The document as JSON: typed arrays as {"$Uint8Array": "<base64>"} (bytes as in memory: little-endian). */
export function documentToJson(document: ProjectDocument): string {
  return JSON.stringify(document, function (this: unknown, key: string, value: unknown) {
    // `this[key]` is the value before toJSON (a Date arrives here as a string already).
    const raw = (this as Record<string, unknown>)[key];
    const where = () => (key ? `“${key}”` : 'the document');
    if (typeof raw === 'number' && !Number.isFinite(raw)) throw new ProjectError(`${where()} is ${raw}, which a project file cannot hold`);
    if (typeof raw === 'bigint' || typeof raw === 'function' || typeof raw === 'symbol') throw new ProjectError(`${where()} is a ${typeof raw}, which a project file cannot hold`);
    if (raw === null || typeof raw !== 'object') return value;
    const tag = tagOf(raw);
    if (ArrayBuffer.isView(raw)) {
      if (!isTypedArrayName(tag)) throw new ProjectError(`${where()} is a ${tag}, which a project file cannot hold`);
      return { [`$${tag}`]: toBase64(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)) };
    }
    if (!Array.isArray(raw) && tag !== 'Object') throw new ProjectError(`${where()} is a ${tag}, which a project file cannot hold`);
    return value;
  });
}

/** JSON back to the document's data, typed arrays restored; throws ProjectError for damaged binary data. */
export function documentFromJson(json: string): unknown {
  return JSON.parse(json, (_key, value: unknown) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const keys = Object.keys(value);
    if (keys.length !== 1 || !keys[0].startsWith('$')) return value;
    const name = keys[0].slice(1);
    if (!isTypedArrayName(name)) return value;
    const ctor = TYPED_ARRAYS[name];
    const data = (value as Record<string, unknown>)[keys[0]];
    const bytes = typeof data === 'string' ? fromBase64(data) : undefined;
    if (!bytes || bytes.length % ctor.BYTES_PER_ELEMENT !== 0) throw new ProjectError(`${DOCUMENT_ENTRY} holds damaged binary data (a ${name})`);
    return name === 'Uint8Array' ? bytes : new ctor(bytes.buffer as ArrayBuffer);
  });
}

// ------------------------------------------------------------------------------------------------- writing

const photoEntry = (id: string, type: ImageType) => `${PHOTO_DIR}${id}.${type.ext}`;

/** The project file: the document and every photo's file. Throws ProjectError when something cannot be written. */
export function encodeProjectArchive(document: ProjectDocument, files: Map<string, ArchiveFile>, limits: Pick<ArchiveLimits, 'maxDocumentBytes'> = DEFAULT_ARCHIVE_LIMITS): Uint8Array {
  // What is written must read back: the same checks as reading.
  validateProject(document);
  const json = new TextEncoder().encode(documentToJson(document));
  if (json.length > limits.maxDocumentBytes) {
    throw new ProjectError(`the project's annotations take ${mb(json.length)}, more than the ${mb(limits.maxDocumentBytes)} a project file may hold (ground truth and measured depth weigh most): export fewer photos`);
  }
  const entries: Zippable = { [DOCUMENT_ENTRY]: json };
  for (const photo of document.photos) {
    const file = files.get(photo.id);
    if (!file) throw new ProjectError(`${photo.name} has no file to save`);
    const type = sniffImageType(file.bytes);
    if (!type) throw new ProjectError(`${photo.name} is not a PNG, JPEG, WebP, GIF, BMP or AVIF file, which is what project files hold`);
    // Compressed images are stored as they are; BMP is worth deflating.
    entries[photoEntry(photo.id, type)] = [file.bytes, { level: type === BMP ? 6 : 0 }];
  }
  return zipSync(entries, { level: 6 });
}

// ------------------------------------------------------------------------------------------------- reading

interface ZipEntry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  /** Uncompressed size as the central directory declares it. */
  size: number;
  dataStart: number;
}

const DAMAGED = 'the file is not a zip archive, or it is damaged or incomplete';
const damaged = (detail: string) => new ProjectError(`${DAMAGED} (${detail})`);

function u16(b: Uint8Array, at: number): number {
  if (at + 2 > b.length) throw damaged('it ends too early');
  return b[at] | (b[at + 1] << 8);
}

function u32(b: Uint8Array, at: number): number {
  if (at + 4 > b.length) throw damaged('it ends too early');
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The zip's central directory, read strictly: every entry must lie within the file, after its local header, without overlapping another. */
function readDirectory(b: Uint8Array, limits: ArchiveLimits): ZipEntry[] {
  // End of central directory: 22 bytes plus a comment of up to 65535, at the very end.
  let eocd = -1;
  for (let at = b.length - 22; at >= Math.max(0, b.length - 22 - 0xffff); at--) {
    if (u32(b, at) === 0x06054b50 && at + 22 + u16(b, at + 20) === b.length) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new ProjectError(DAMAGED);
  const count = u16(b, eocd + 10);
  const cdSize = u32(b, eocd + 12);
  const cdOffset = u32(b, eocd + 16);
  if (u16(b, eocd + 4) !== 0 || u16(b, eocd + 6) !== 0 || u16(b, eocd + 8) !== count) throw damaged('it is split across several files');
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new ProjectError('the archive is a ZIP64 archive, larger than any project file');
  if (cdOffset + cdSize !== eocd) throw damaged('its directory is not where it says');
  if (count > limits.maxEntries) throw new ProjectError(`the archive holds ${count} entries, more than the ${limits.maxEntries} a project file may have`);

  const entries: ZipEntry[] = [];
  const spans: [number, number][] = [];
  let at = cdOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > eocd || u32(b, at) !== 0x02014b50) throw damaged('its directory is broken');
    const flags = u16(b, at + 8);
    const method = u16(b, at + 10);
    const crc = u32(b, at + 16);
    const compressedSize = u32(b, at + 20);
    const size = u32(b, at + 24);
    const nameLength = u16(b, at + 28);
    const next = at + 46 + nameLength + u16(b, at + 30) + u16(b, at + 32);
    const local = u32(b, at + 42);
    if (next > eocd) throw damaged('its directory is broken');
    const nameBytes = b.subarray(at + 46, at + 46 + nameLength);
    let name: string;
    try {
      name = utf8.decode(nameBytes);
    } catch {
      throw new ProjectError('the archive holds an entry whose name is not valid text');
    }
    if (flags & 0x41) throw new ProjectError(`${name} in the archive is encrypted`);
    if (method !== 0 && method !== 8) throw new ProjectError(`${name} in the archive is compressed with a method the studio does not read (${method})`);
    if (compressedSize === 0xffffffff || size === 0xffffffff || local === 0xffffffff) throw new ProjectError('the archive is a ZIP64 archive, larger than any project file');
    if (method === 0 && compressedSize !== size) throw damaged(`${name} has two different sizes`);
    // Its local header: same name, same method; the data follows it.
    if (local + 30 > cdOffset || u32(b, local) !== 0x04034b50) throw damaged(`${name} is missing`);
    const localNameLength = u16(b, local + 26);
    const dataStart = local + 30 + localNameLength + u16(b, local + 28);
    if (localNameLength !== nameLength || u16(b, local + 8) !== method || !nameBytes.every((c, k) => b[local + 30 + k] === c)) throw damaged(`${name} does not match its directory entry`);
    if (dataStart + compressedSize > cdOffset) throw damaged(`${name} is cut off`);
    entries.push({ name, method, crc, compressedSize, size, dataStart });
    spans.push([local, dataStart + compressedSize]);
    at = next;
  }
  if (at !== eocd) throw damaged('its directory is broken');
  // Entries that share bytes are how some zip bombs multiply themselves.
  spans.sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < spans.length; i++) if (spans[i][0] < spans[i - 1][1]) throw damaged('its entries overlap');
  return entries;
}

/** Not a plain relative path inside the archive: empty, absolute, a drive, a backslash, a control character, a `..` or `.` segment. */
function unsafePath(name: string): boolean {
  return (
    name.length === 0 ||
    name.includes('\\') ||
    name.startsWith('/') ||
    /^[a-zA-Z]:/.test(name) ||
    [...name].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127) ||
    name.split('/').some((segment) => segment === '..' || segment === '.')
  );
}

const quoted = (name: string) => JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32(b: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 255] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** Compressed bytes handed to the inflater at a time: deflate expands at most ~1032×, so ≤ 17 MB out per step. */
const INFLATE_STEP = 16 * 1024;

/** The entry's bytes; stops as soon as it would unpack to more than it declares, and checks its CRC. */
function unpack(archive: Uint8Array, entry: ZipEntry): Uint8Array {
  const data = archive.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  let out: Uint8Array;
  if (entry.method === 0) {
    // A copy: what is returned does not keep the whole archive's buffer alive.
    out = data.slice();
  } else {
    out = new Uint8Array(entry.size);
    let length = 0;
    let overrun = false;
    let ended = false;
    const inflater = new Inflate((chunk, final) => {
      if (length + chunk.length > entry.size) overrun = true;
      else out.set(chunk, length);
      length += chunk.length;
      if (final) ended = true;
    });
    try {
      for (let at = 0; at < data.length && !overrun && !ended; at += INFLATE_STEP) {
        const end = Math.min(data.length, at + INFLATE_STEP);
        inflater.push(data.subarray(at, end), end === data.length);
      }
      if (data.length === 0) inflater.push(new Uint8Array(0), true);
    } catch {
      if (!overrun) throw damaged(`${entry.name} cannot be unpacked`);
    }
    if (overrun) throw new ProjectError(`${entry.name} in the archive unpacks to more than its stated ${entry.size} bytes (a damaged file or a zip bomb)`);
    if (length !== entry.size) throw damaged(`${entry.name} is shorter than stated`);
  }
  if (crc32(out) !== entry.crc) throw damaged(`${entry.name} fails its checksum`);
  return out;
}

const mb = (n: number) => (n < MiB ? `${Math.ceil(n / 1024)} KB` : `${Math.ceil(n / MiB)} MB`);

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((v) => v.toString(16).padStart(2, '0')).join('');
}

/**
 * Reads a project file. Everything is checked before anything is returned; any problem throws one
 * ProjectError whose message is for the user.
 */
export async function decodeProjectArchive(bytes: Uint8Array, limits: Partial<ArchiveLimits> = {}): Promise<ProjectArchive> {
  const lim = { ...DEFAULT_ARCHIVE_LIMITS, ...limits };
  if (bytes.length > lim.maxArchiveBytes) throw new ProjectError(`the file is ${mb(bytes.length)}, larger than the ${mb(lim.maxArchiveBytes)} a project file may have`);
  const entries = readDirectory(bytes, lim);

  // Names: safe, once each, and only what a project file holds.
  const names = new Set<string>();
  let documentEntry: ZipEntry | undefined;
  const photoEntries = new Map<string, { entry: ZipEntry; ext: string }>();
  for (const entry of entries) {
    if (unsafePath(entry.name)) throw new ProjectError(`the archive holds an entry with an unsafe path (${quoted(entry.name)})`);
    if (names.has(entry.name)) throw new ProjectError(`the archive holds ${quoted(entry.name)} twice`);
    names.add(entry.name);
    if (entry.name === DOCUMENT_ENTRY) documentEntry = entry;
    else if (entry.name === PHOTO_DIR && entry.size === 0) continue;
    else {
      const photo = /^photos\/([\w.-]{1,100})\.([a-z]+)$/.exec(entry.name);
      if (!photo || !IMAGE_EXTS.has(photo[2])) throw new ProjectError(`the archive holds ${quoted(entry.name)}, which is not part of a project file`);
      if (photoEntries.has(photo[1])) throw new ProjectError(`the archive holds more than one file for photo ${photo[1]}`);
      photoEntries.set(photo[1], { entry, ext: photo[2] });
    }
  }
  if (!documentEntry) throw new ProjectError(`the archive has no ${DOCUMENT_ENTRY}: it is not a project file`);

  // Sizes as declared, before unpacking anything.
  let total = 0;
  for (const entry of entries) {
    const limit = entry === documentEntry ? lim.maxDocumentBytes : lim.maxPhotoBytes;
    if (entry.size > limit) throw new ProjectError(`${entry.name} would unpack to ${mb(entry.size)}, more than the ${mb(limit)} allowed (a zip bomb?)`);
    total += entry.size;
  }
  if (total > lim.maxTotalBytes) throw new ProjectError(`the archive would unpack to ${mb(total)}, more than the ${mb(lim.maxTotalBytes)} allowed (a zip bomb?)`);

  // The document.
  let json: string;
  try {
    json = utf8.decode(unpack(bytes, documentEntry));
  } catch (err) {
    if (err instanceof ProjectError) throw err;
    throw new ProjectError(`${DOCUMENT_ENTRY} is not text`);
  }
  let data: unknown;
  try {
    data = documentFromJson(json);
  } catch (err) {
    if (err instanceof ProjectError) throw err;
    throw new ProjectError(`${DOCUMENT_ENTRY} is not valid JSON`);
  }
  const document = validateProject(data);

  // Exactly one file per photo, and no file without a photo.
  for (const photo of document.photos) if (!photoEntries.has(photo.id)) throw new ProjectError(`the file of ${photo.name} is missing from the archive`);
  for (const [id, { entry }] of photoEntries) if (!document.photos.some((p) => p.id === id)) throw new ProjectError(`the archive holds ${quoted(entry.name)}, which belongs to no photo of the project`);

  // Each photo: a real image of the type its name says, and the very file the project was made with.
  const files = new Map<string, ArchiveFile>();
  for (const photo of document.photos) {
    const { entry, ext } = photoEntries.get(photo.id)!;
    const content = unpack(bytes, entry);
    const type = sniffImageType(content);
    if (!type) throw new ProjectError(`${entry.name} (${photo.name}) is not an image`);
    if (type.ext !== ext && !type.also?.includes(ext)) throw new ProjectError(`${entry.name} (${photo.name}) is not a .${ext} file but a ${type.mime}`);
    if (photo.contentHash && (await sha256Hex(content)) !== photo.contentHash) throw new ProjectError(`${entry.name} is not the file ${photo.name} was added from (its content hash differs)`);
    files.set(photo.id, { bytes: content, mime: type.mime });
  }
  return { document, files };
}
