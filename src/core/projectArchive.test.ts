import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { deflateSync, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PROJECT_SCHEMA, ProjectError, type ProjectDocument } from './project.ts';
import {
  decodeProjectArchive,
  documentFromJson,
  documentToJson,
  encodeProjectArchive,
  fromBase64,
  sniffImageType,
  toBase64,
  type ArchiveFile,
} from './projectArchive.ts';

// Real photos (CC0 / public domain, public/samples/LICENSES.txt).
const sample = (name: string) => new Uint8Array(readFileSync(resolve('public/samples', name)));
const chelsea = sample('chelsea.png');
const rocket = sample('rocket.jpg');
const coffee = sample('coffee.png');
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function sampleProject(): { document: ProjectDocument; files: Map<string, ArchiveFile> } {
  const classes = new Uint8Array(6 * 4).fill(255);
  classes.set([0, 0, 15, 15, 3], 7);
  const document: ProjectDocument = {
    schema: PROJECT_SCHEMA,
    parts: {
      labels: { labelSet: { name: 'voc', classes: [{ name: 'background', color: '#000000' }, { name: 'my cat', color: '#c08080' }] }, activeClass: 1 },
      segmentation: { levels: { L1: true, L2: false, L5: true }, headKind: 'linear' },
      brush: 7,
      view: { zoom: 1.5, pan: { x: -3.25, y: 0 }, nothing: null },
      weights: new Float32Array([0.5, -1.25, 3e-8]),
    },
    photos: [
      {
        id: 'pabc-0',
        name: 'chelsea.png',
        order: 0,
        originalWidth: 451,
        originalHeight: 300,
        contentHash: sha256(chelsea),
        parts: {
          strokes: [{ classIndex: 1, radius: 4, points: [1, 2, 3.5, 4] }],
          groundTruth: { name: 'chelsea-gt.png', width: 6, height: 4, classes, present: [0, 3, 15] },
        },
      },
      { id: 'pabc-1', name: 'rocket.jpg', order: 1, originalWidth: 640, originalHeight: 427, contentHash: sha256(rocket), parts: {} },
    ],
  };
  const files = new Map<string, ArchiveFile>([
    ['pabc-0', { bytes: chelsea, mime: 'image/png' }],
    ['pabc-1', { bytes: rocket, mime: 'image/jpeg' }],
  ]);
  return { document, files };
}

const json = (v: unknown) => strToU8(JSON.stringify(v));

/** A zip of the given entries, stored unless an entry says otherwise (photos do not deflate anyway). */
function zipOf(entries: Zippable): Uint8Array {
  return zipSync(entries, { level: 0 });
}

function validEntries(): Zippable {
  const { document } = sampleProject();
  return { 'project.json': [strToU8(documentToJson(document)), { level: 6 }], 'photos/pabc-0.png': chelsea, 'photos/pabc-1.jpg': rocket };
}

/** Central-directory records of a zip: offset and name of each (to patch fields the writer would not lie about). */
function centralRecords(zip: Uint8Array): { at: number; local: number; name: string }[] {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  expect(view.getUint32(eocd, true)).toBe(0x06054b50);
  let at = view.getUint32(eocd + 16, true);
  const out = [];
  for (let i = 0; i < view.getUint16(eocd + 10, true); i++) {
    const nameLength = view.getUint16(at + 28, true);
    out.push({ at, local: view.getUint32(at + 42, true), name: new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength)) });
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return out;
}

function setDeclaredSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  const rec = centralRecords(out).find((r) => r.name === name)!;
  view.setUint32(rec.at + 24, size, true);
  view.setUint32(rec.local + 22, size, true);
  return out;
}

async function rejection(bytes: Uint8Array, limits?: Parameters<typeof decodeProjectArchive>[1]): Promise<string> {
  try {
    await decodeProjectArchive(bytes, limits);
  } catch (err) {
    expect(err).toBeInstanceOf(ProjectError);
    return (err as Error).message;
  }
  throw new Error('the archive was accepted');
}

describe('project archive', () => {
  it('round-trips a project exactly, typed arrays included', async () => {
    const { document, files } = sampleProject();
    const zip = encodeProjectArchive(document, files);
    const names = Object.keys(unzipSync(zip));
    expect(names.sort()).toEqual(['photos/pabc-0.png', 'photos/pabc-1.jpg', 'project.json']);
    const back = await decodeProjectArchive(zip);
    expect(back.document).toEqual(document);
    const gt = back.document.photos[0].parts.groundTruth as { classes: Uint8Array };
    expect(gt.classes).toBeInstanceOf(Uint8Array);
    expect(back.document.parts.weights).toBeInstanceOf(Float32Array);
    // (Buffer.equals: toEqual walks big byte arrays slowly.)
    expect(back.files.get('pabc-0')?.mime).toBe('image/png');
    expect(Buffer.from(back.files.get('pabc-0')!.bytes).equals(chelsea)).toBe(true);
    expect(back.files.get('pabc-1')?.mime).toBe('image/jpeg');
    expect(Buffer.from(back.files.get('pabc-1')!.bytes).equals(rocket)).toBe(true);
    // Reading and writing again gives the same document entry.
    const again = unzipSync(encodeProjectArchive(back.document, back.files))['project.json'];
    expect(again).toEqual(unzipSync(zip)['project.json']);
  });

  it('refuses to write a document that reading would refuse as too large', async () => {
    const { document, files } = sampleProject();
    const size = unzipSync(encodeProjectArchive(document, files))['project.json'].length;
    expect(() => encodeProjectArchive(document, files, { maxDocumentBytes: size - 1 })).toThrow(/more than the \d+ KB a project file may hold/);
    expect(await rejection(encodeProjectArchive(document, files), { maxDocumentBytes: size - 1 })).toMatch(/project.json would unpack to/);
  });

  it('round-trips an empty project', async () => {
    const document: ProjectDocument = { schema: PROJECT_SCHEMA, parts: {}, photos: [] };
    expect((await decodeProjectArchive(encodeProjectArchive(document, new Map()))).document).toEqual(document);
  });

  it('refuses to write what it could not read back', () => {
    const { document, files } = sampleProject();
    expect(() => encodeProjectArchive(document, new Map([...files].slice(0, 1)))).toThrow(/rocket.jpg has no file/);
    expect(() => encodeProjectArchive(document, new Map([...files, ['pabc-1', { bytes: strToU8('hello'), mime: 'image/jpeg' }]]))).toThrow(/not a PNG, JPEG/);
    expect(() => documentToJson({ ...document, parts: { bad: new Map() } })).toThrow(/Map/);
    expect(() => documentToJson({ ...document, parts: { bad: NaN } })).toThrow(/NaN/);
  });

  it('encodes base64 like Node, and decodes it strictly', () => {
    for (let n = 0; n < 8; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + 13) & 255);
      const b64 = Buffer.from(bytes).toString('base64');
      expect(toBase64(bytes)).toBe(b64);
      expect(fromBase64(b64)).toEqual(bytes);
    }
    expect(toBase64(chelsea)).toBe(Buffer.from(chelsea).toString('base64'));
    for (const bad of ['A', 'AB=C', 'A===', 'AB C', 'ABC=ABC=', 'AÄCD']) expect(fromBase64(bad)).toBeUndefined();
    expect(() => documentFromJson('{"x": {"$Uint8Array": "***"}}')).toThrow(ProjectError);
    expect(() => documentFromJson('{"x": {"$Float32Array": "AAA="}}')).toThrow(ProjectError);
    // Objects that merely look alike are left alone.
    expect(documentFromJson('{"x": {"$Nothing": "AA=="}, "y": {"$Uint8Array": "AA==", "z": 1}}')).toEqual({ x: { $Nothing: 'AA==' }, y: { $Uint8Array: 'AA==', z: 1 } });
  });

  it('knows images by their magic bytes', () => {
    expect(sniffImageType(chelsea)?.mime).toBe('image/png');
    expect(sniffImageType(rocket)?.mime).toBe('image/jpeg');
    expect(sniffImageType(strToU8('GIF89a......'))?.mime).toBe('image/gif');
    expect(sniffImageType(strToU8('RIFF\0\0\0\0WEBPVP8 '))?.mime).toBe('image/webp');
    const bmp = new Uint8Array(30);
    bmp.set(strToU8('BM'));
    bmp[14] = 40;
    expect(sniffImageType(bmp)?.mime).toBe('image/bmp');
    const avif = new Uint8Array(32);
    avif.set([0, 0, 0, 28]);
    avif.set(strToU8('ftypmif1\0\0\0\0mif1avif'), 4);
    expect(sniffImageType(avif)?.mime).toBe('image/avif');
    expect(sniffImageType(strToU8('BMW is a car, not a bitmap'))).toBeUndefined();
    expect(sniffImageType(strToU8('hello'))).toBeUndefined();
  });

  describe('rejects, with one message', () => {
    it('bytes that are no zip', async () => {
      expect(await rejection(new Uint8Array(0))).toMatch(/not a zip archive, or it is damaged or incomplete/);
      expect(await rejection(chelsea)).toMatch(/not a zip archive/);
      expect(await rejection(Uint8Array.from({ length: 5000 }, (_, i) => (i * 7919) & 255))).toMatch(/not a zip archive/);
    });

    it('a truncated zip', async () => {
      const zip = encodeProjectArchive(sampleProject().document, sampleProject().files);
      for (const length of [zip.length - 1, zip.length - 30, Math.floor(zip.length / 2), 100]) {
        expect(await rejection(zip.subarray(0, length))).toMatch(/damaged or incomplete/);
      }
      // Cut inside the photos but with a directory still at the end: the entries run into it.
      const cut = zip.slice();
      const records = centralRecords(cut);
      const view = new DataView(cut.buffer);
      view.setUint32(records[0].at + 20, 0x7fffff, true);
      expect(await rejection(cut)).toMatch(/damaged or incomplete/);
    });

    it('a damaged entry', async () => {
      const zip = zipOf(validEntries());
      const record = centralRecords(zip).find((r) => r.name === 'photos/pabc-0.png')!;
      const flipped = zip.slice();
      flipped[record.local + 30 + 'photos/pabc-0.png'.length + 5000] ^= 0x55;
      expect(await rejection(flipped)).toMatch(/damaged or incomplete \(photos\/pabc-0.png (fails its checksum|cannot be unpacked)\)/);
    });

    it('a project written by a newer studio', async () => {
      const entries = validEntries();
      entries['project.json'] = json({ ...JSON.parse(documentToJson(sampleProject().document)), schema: PROJECT_SCHEMA + 1 });
      expect(await rejection(zipOf(entries))).toMatch(/newer version of the studio/);
    });

    it('a project.json that is not a project', async () => {
      expect(await rejection(zipOf({ ...validEntries(), 'project.json': strToU8('{"schema": 2, "parts"') }))).toMatch(/project.json is not valid JSON/);
      expect(await rejection(zipOf({ ...validEntries(), 'project.json': new Uint8Array([0xff, 0xfe, 0x7b]) }))).toMatch(/project.json is not text/);
      expect(await rejection(zipOf({ ...validEntries(), 'project.json': json([1, 2]) }))).toMatch(/not an object/);
      const { 'project.json': _, ...noDocument } = validEntries();
      expect(await rejection(zipOf(noDocument))).toMatch(/no project.json/);
    });

    it('paths that climb out, are absolute or use backslashes', async () => {
      for (const name of ['../evil.png', 'photos/../../evil.png', '/etc/evil.png', 'C:/evil.png', 'photos\\pabc-0.png', 'photos/./pabc-0.png']) {
        expect(await rejection(zipOf({ ...validEntries(), [name]: chelsea }))).toBe(`the archive holds an entry with an unsafe path (${JSON.stringify(name)})`);
      }
    });

    it('an entry twice, or one that does not belong', async () => {
      // Two same-length names, the second renamed to the first in both headers.
      const zip = zipOf({ ...validEntries(), 'photos/pabc-9.png': coffee });
      const view = zip.slice();
      const record = centralRecords(view).find((r) => r.name === 'photos/pabc-9.png')!;
      const renamed = strToU8('photos/pabc-0.png');
      view.set(renamed, record.at + 46);
      view.set(renamed, record.local + 30);
      expect(await rejection(view)).toBe('the archive holds "photos/pabc-0.png" twice');
      expect(await rejection(zipOf({ ...validEntries(), 'photos/pabc-0.jpeg': rocket }))).toMatch(/more than one file for photo pabc-0/);
      expect(await rejection(zipOf({ ...validEntries(), 'notes.txt': strToU8('hi') }))).toMatch(/"notes.txt", which is not part of a project file/);
      expect(await rejection(zipOf({ ...validEntries(), 'photos/pabc-7.png': coffee }))).toMatch(/belongs to no photo/);
    });

    it('a photo without its file', async () => {
      const { 'photos/pabc-1.jpg': _, ...entries } = validEntries();
      expect(await rejection(zipOf(entries))).toBe('the file of rocket.jpg is missing from the archive');
    });

    it('a non-image named .png, and a JPEG named .png', async () => {
      expect(await rejection(zipOf({ ...validEntries(), 'photos/pabc-0.png': strToU8('<html>not a picture</html>') }))).toBe('photos/pabc-0.png (chelsea.png) is not an image');
      const { 'photos/pabc-1.jpg': _, ...entries } = validEntries();
      expect(await rejection(zipOf({ ...entries, 'photos/pabc-1.png': rocket }))).toMatch(/photos\/pabc-1.png \(rocket.jpg\) is not a .png file but a image\/jpeg/);
    });

    it('a photo file other than the one the project was made with', async () => {
      expect(await rejection(zipOf({ ...validEntries(), 'photos/pabc-0.png': coffee }))).toMatch(/not the file chelsea.png was added from/);
    });

    it('an entry that unpacks to far more than it declares', async () => {
      const zip = setDeclaredSize(zipOf(validEntries()), 'project.json', 10);
      expect(await rejection(zip)).toMatch(/project.json in the archive unpacks to more than its stated 10 bytes/);
    });

    it('a zip bomb: declared sizes over the limits are refused before unpacking', async () => {
      // 32 MiB of zeros deflate to ~32 KB; with a photo limit of 8 MiB it is refused by its declared size.
      const zeros = new Uint8Array(32 * 1024 * 1024);
      const bomb = zipOf({ ...validEntries(), 'photos/pabc-0.png': [zeros, { level: 9 }] });
      expect(bomb.length).toBeLessThan(2_000_000);
      expect(await rejection(bomb, { maxPhotoBytes: 8 * 1024 * 1024 })).toBe('photos/pabc-0.png would unpack to 32 MB, more than the 8 MB allowed (a zip bomb?)');
      // The defaults: an entry declaring 3 GiB.
      expect(await rejection(setDeclaredSize(zipOf(validEntries()), 'project.json', 3 * 1024 ** 3))).toMatch(/^project.json would unpack to 3072 MB, more than the 256 MB allowed/);
      // Many entries each under the limit, together over the total.
      expect(await rejection(zipOf(validEntries()), { maxTotalBytes: 300 * 1024 })).toMatch(/^the archive would unpack to 3\d\d KB, more than the 300 KB allowed \(a zip bomb\?\)$/);
      expect(await rejection(zipOf(validEntries()), { maxEntries: 2 })).toMatch(/3 entries, more than the 2/);
      expect(await rejection(zipOf(validEntries()), { maxArchiveBytes: 1000 })).toMatch(/^the file is \d+ KB, larger than the 1 KB a project file may have$/);
    });

    it('a zip bomb that lies about its size is stopped while unpacking', async () => {
      const zeros = new Uint8Array(32 * 1024 * 1024);
      const bomb = setDeclaredSize(zipOf({ ...validEntries(), 'photos/pabc-0.png': [zeros, { level: 9 }] }), 'photos/pabc-0.png', chelsea.length);
      const started = performance.now();
      expect(await rejection(bomb)).toBe(`photos/pabc-0.png in the archive unpacks to more than its stated ${chelsea.length} bytes (a damaged file or a zip bomb)`);
      // Stopped at the first overrun, not after unpacking everything.
      expect(performance.now() - started).toBeLessThan(2000);
    });

    it('encrypted entries and unknown compression methods', async () => {
      const zip = zipOf(validEntries());
      const view = new DataView(zip.buffer);
      const record = centralRecords(zip).find((r) => r.name === 'photos/pabc-1.jpg')!;
      const encrypted = zip.slice();
      new DataView(encrypted.buffer).setUint16(record.at + 8, view.getUint16(record.at + 8, true) | 1, true);
      expect(await rejection(encrypted)).toMatch(/photos\/pabc-1.jpg in the archive is encrypted/);
      const bzip = zip.slice();
      new DataView(bzip.buffer).setUint16(record.at + 10, 12, true);
      expect(await rejection(bzip)).toMatch(/compressed with a method the studio does not read \(12\)/);
    });

    it('raw deflate data is not a zip', async () => {
      expect(await rejection(deflateSync(json(sampleProject().document.parts)))).toMatch(/not a zip archive/);
    });
  });
});
