// Ground-truth class-index masks per photo (VOC palette PNGs or grayscale class-index PNGs, 255 = ignore),
// for the superpixel oracle and the ground-truth overlay. Masks must have the photo's original size (that is
// how datasets ship them); they are kept at the working size, nearest-neighbour, like every other map.
// A mask dropped like a photo goes to the photo its name names (chelsea_mask.png → chelsea.jpg), else to the
// selected photo when the sizes match; it never becomes a photo itself. A COCO instances JSON (core/cocoImport.ts)
// gives ground truth to every open photo its images name, at once, as one undoable edit; a JSON of image-level
// tags instead (stem → class names, as `cli segment --tags` reads) goes to the tag slice.
import type { StateCreator } from 'zustand';
import type { CocoImage } from '../core/cocoExport.ts';
import { cocoClassMasks, readCocoInstances } from '../core/cocoImport.ts';
import { fileStem, maskNamesPhoto } from '../core/fileNames.ts';
import { decodeIndexPng, type DecodedIndexPng } from '../core/pngCodec.ts';
import { resizeNearest } from '../core/resizeNearest.ts';
import { IGNORE_LABEL } from '../core/types.ts';
import type { Photo } from './photoSlice.ts';
import { persistPhotoPart } from './persistence.ts';
import type { StudioState } from './studioStore.ts';

export interface GroundTruth {
  name: string;
  width: number;
  height: number;
  /** Class index per working-copy pixel; IGNORE_LABEL (255) for unlabelled pixels. */
  classes: Uint8Array;
  /** Class indices that occur, ascending, without IGNORE_LABEL. */
  present: number[];
}

export interface GroundTruthSlice {
  groundTruth: Record<string, GroundTruth>;
  showGroundTruth: boolean;
  setShowGroundTruth(v: boolean): void;
  /** Decodes `file` as the photo's ground truth; a message and false if it does not fit. A COCO JSON is imported for every photo it names. */
  attachGroundTruth(photoId: string, file: Blob & { name?: string }): Promise<boolean>;
  /**
   * Ground truth from a COCO instances JSON for every open photo one of its images names (same name stem, same
   * original size), as one undoable edit, classes mapped by name into the label set; returns how many photos got
   * one. A message says what matched, what did not, and which categories became background.
   */
  importCocoGroundTruth(file: Blob & { name?: string }): Promise<number>;
  /** Whether a dropped or picked file looks like a class-index mask (looksLikeMask) rather than a photo. */
  isGroundTruthFile(file: File): Promise<boolean>;
  /**
   * Takes a dropped file that looks like a mask as ground truth, so masks can be dropped like photos: attached
   * to the open photo whose name stem it carries (`chelsea.png` ← `chelsea.png`, `chelsea_mask.png`, …), else
   * to the selected photo when the sizes match; otherwise a message. True when the file was a mask (attached
   * or reported), false when it is not one and should be opened as a photo.
   */
  claimGroundTruthFile(file: File): Promise<boolean>;
}

const MAX_CLAIMED_CLASSES = 64;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Size, bits per sample and colour type from a PNG's IHDR, or undefined for anything else; reads 26 bytes only. */
export function pngHeader(bytes: Uint8Array): { width: number; height: number; singleChannel: boolean; grayscale16: boolean } | undefined {
  if (bytes.length < 26 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const colourType = bytes[25];
  // 0 = grayscale, 3 = palette: the two ways class-index masks are stored.
  return { width: view.getUint32(16), height: view.getUint32(20), singleChannel: colourType === 0 || colourType === 3, grayscale16: colourType === 0 && bytes[24] === 16 };
}

function decodeMask(bytes: Uint8Array): DecodedIndexPng {
  let png;
  try {
    png = decodeIndexPng(bytes);
  } catch (err) {
    throw new Error(`not a class-index PNG (${(err as Error).message})`);
  }
  for (let i = 0; i < png.values.length; i++) {
    if (png.values[i] > IGNORE_LABEL) throw new Error(`value ${png.values[i]} is not a class index (0..254, 255 = ignore)`);
  }
  return png;
}

/** The mask at the photo's working size; throws when it does not have the photo's original size. */
function fitToPhoto(name: string, png: DecodedIndexPng, photo: Photo): GroundTruth {
  if (png.width !== photo.originalWidth || png.height !== photo.originalHeight) {
    throw new Error(
      `the mask is ${png.width}×${png.height} but ${photo.name} is ${photo.originalWidth}×${photo.originalHeight}; ground truth must have the photo's original size`,
    );
  }
  const { width, height } = photo.working;
  const classes = resizeNearest(png.values, png.width, png.height, width, height);
  const seen = new Uint8Array(256);
  for (let i = 0; i < classes.length; i++) seen[classes[i]] = 1;
  const present = [...seen.keys()].filter((c) => seen[c] && c !== IGNORE_LABEL);
  return { name, width, height, classes, present };
}

function toGroundTruth(name: string, bytes: Uint8Array, photo: Photo): GroundTruth {
  return fitToPhoto(name, decodeMask(bytes), photo);
}

/**
 * Whether decoded single-channel pixels look like a class-index mask: 8-bit values with a few dozen classes
 * at most (255 = ignore not counted). A grayscale photo has many more distinct levels.
 */
export function looksLikeMask(values: ArrayLike<number>): boolean {
  const seen = new Uint8Array(256);
  let distinct = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > IGNORE_LABEL) return false;
    if (v !== IGNORE_LABEL && !seen[v]) {
      seen[v] = 1;
      if (++distinct > MAX_CLAIMED_CLASSES) return false;
    }
  }
  return true;
}

/** The file decoded as a mask when it looks like one (a single-channel PNG with few classes), else undefined. */
async function readMask(file: Blob & { name?: string }): Promise<DecodedIndexPng | undefined> {
  if (file.type && file.type !== 'image/png') return undefined;
  const header = pngHeader(new Uint8Array(await file.slice(0, 26).arrayBuffer()));
  if (!header?.singleChannel) return undefined;
  let png;
  try {
    png = decodeIndexPng(new Uint8Array(await file.arrayBuffer()));
  } catch {
    return undefined;
  }
  return looksLikeMask(png.values) ? png : undefined;
}

/** Masks decoded once per file (addFiles asks whether a file is one, then claims it). */
const maskReads = new WeakMap<Blob, Promise<DecodedIndexPng | undefined>>();
const readMaskOnce = (file: Blob) => {
  let read = maskReads.get(file);
  if (!read) maskReads.set(file, (read = readMask(file)));
  return read;
};

/**
 * The photo a mask named `maskName` of the given size belongs to: by name stem first, else the active photo when
 * its original size matches. `named` is the photo the name points to when its size does not match.
 */
export function matchMaskToPhoto<P extends Pick<Photo, 'id' | 'name' | 'originalWidth' | 'originalHeight'>>(
  maskName: string,
  size: { width: number; height: number },
  photos: readonly P[],
  activePhotoId: string | undefined,
): { photo?: P; named?: P } {
  const fits = (p: P) => p.originalWidth === size.width && p.originalHeight === size.height;
  const named = photos.filter((p) => maskNamesPhoto(maskName, p.name));
  if (named.length > 0) {
    const photo = named.find((p) => p.id === activePhotoId && fits(p)) ?? named.find(fits);
    return photo ? { photo } : { named: named.find((p) => p.id === activePhotoId) ?? named[0] };
  }
  const active = photos.find((p) => p.id === activePhotoId);
  return active && fits(active) ? { photo: active } : {};
}

/** Whether a file is a COCO JSON to import rather than a photo or a mask. */
export const isCocoJsonFile = (file: Blob & { name?: string }): boolean => file.type === 'application/json' || /\.json$/i.test(file.name ?? '');

/**
 * The open photo each COCO image is the ground truth of: the same name stem (a `file_name` with folders counts by
 * its last part) and the same original size. `misfits` are images whose name matches a photo of another size.
 */
export function matchCocoImages<P extends Pick<Photo, 'name' | 'originalWidth' | 'originalHeight'>>(
  images: readonly CocoImage[],
  photos: readonly P[],
): { pairs: { image: CocoImage; photo: P }[]; misfits: { image: CocoImage; photo: P }[] } {
  const pairs: { image: CocoImage; photo: P }[] = [];
  const misfits: { image: CocoImage; photo: P }[] = [];
  for (const image of images) {
    const base = image.file_name.split(/[/\\]/).pop() ?? '';
    for (const photo of photos.filter((p) => maskNamesPhoto(base, p.name))) {
      (photo.originalWidth === image.width && photo.originalHeight === image.height ? pairs : misfits).push({ image, photo });
    }
  }
  return { pairs, misfits };
}

/** A saved ground truth, checked: a class map of its stated size. */
export function validateGroundTruth(v: unknown): GroundTruth {
  const g = v as Partial<GroundTruth>;
  const ok =
    typeof g?.name === 'string' &&
    Number.isInteger(g.width) && g.width! > 0 &&
    Number.isInteger(g.height) && g.height! > 0 &&
    g.classes instanceof Uint8Array && g.classes.length === g.width! * g.height! &&
    Array.isArray(g.present) && g.present.every((c) => Number.isInteger(c) && c >= 0 && c < IGNORE_LABEL);
  if (!ok) throw new Error('not a ground-truth mask');
  return g as GroundTruth;
}

export const createGroundTruthSlice: StateCreator<StudioState, [], [], GroundTruthSlice> = (set, get) => {
  // Undoable: a mask dropped by mistake must not silently replace the photo's earlier one.
  const store = (photo: Photo, gt: GroundTruth) => {
    const before = get().groundTruth[photo.id];
    const put = (value: GroundTruth | undefined) =>
      set((s) => {
        const groundTruth = { ...s.groundTruth };
        if (value) groundTruth[photo.id] = value;
        else delete groundTruth[photo.id];
        return { groundTruth };
      });
    get().record({ label: `ground truth ${gt.name} for ${photo.name}`, apply: () => put(gt), revert: () => put(before) });
    get().notify('info', `${gt.name}: ground truth for ${photo.name} (${gt.present.length} classes)${before ? ` (replaces ${before.name}; Undo brings it back)` : ''}`);
  };

  persistPhotoPart<GroundTruth>({
    key: 'groundTruth',
    select: (s, id) => s.groundTruth[id],
    validate: validateGroundTruth,
    restore: (byPhoto) => set((s) => ({ groundTruth: { ...s.groundTruth, ...byPhoto } })),
  });

  return {
    groundTruth: {},
    showGroundTruth: false,

    setShowGroundTruth(v) {
      set({ showGroundTruth: v });
    },

    async attachGroundTruth(photoId, file) {
      if (isCocoJsonFile(file)) return (await get().importTagsFile(file)) || (await get().importCocoGroundTruth(file)) > 0;
      const photo = get().photos.find((p) => p.id === photoId);
      const name = file.name || 'ground truth';
      if (!photo) {
        get().notify('error', `${name}: open the photo first, then its ground truth`);
        return false;
      }
      try {
        store(photo, toGroundTruth(name, new Uint8Array(await file.arrayBuffer()), photo));
        return true;
      } catch (err) {
        get().notify('error', `${name}: ${(err as Error).message}`);
        return false;
      }
    },

    async importCocoGroundTruth(file) {
      const name = file.name || 'COCO JSON';
      let pairs;
      let misfits;
      let unmapped;
      const next: Record<string, GroundTruth> = {};
      try {
        const coco = cocoClassMasks(readCocoInstances(JSON.parse(await file.text())), get().labelSet);
        ({ pairs, misfits } = matchCocoImages(coco.images, get().photos));
        unmapped = coco.unmapped;
        for (const { image, photo } of pairs) next[photo.id] = fitToPhoto(name, { width: image.width, height: image.height, values: coco.classMask(image) }, photo);
      } catch (err) {
        get().notify('error', `${name}: ${(err as Error).message}`);
        return 0;
      }
      const ids = Object.keys(next);
      const before = Object.fromEntries(ids.map((id) => [id, get().groundTruth[id]]));
      const put = (entries: Record<string, GroundTruth | undefined>) =>
        set((s) => {
          const groundTruth = { ...s.groundTruth };
          for (const [id, gt] of Object.entries(entries)) {
            if (gt) groundTruth[id] = gt;
            else delete groundTruth[id];
          }
          return { groundTruth };
        });
      if (ids.length > 0) get().record({ label: `ground truth from ${name}`, apply: () => put(next), revert: () => put(before) });
      const notes = [
        misfits.length ? `${misfits.length} named an open photo of another size (${misfits[0].image.file_name} is ${misfits[0].image.width}×${misfits[0].image.height}, ${misfits[0].photo.name} ${misfits[0].photo.originalWidth}×${misfits[0].photo.originalHeight})` : '',
        unmapped.length ? `categories without a class of that name are background: ${unmapped.slice(0, 5).join(', ')}${unmapped.length > 5 ? ` and ${unmapped.length - 5} more` : ''}` : '',
      ].filter(Boolean);
      get().notify(
        ids.length ? 'info' : 'error',
        `${name}: ground truth for ${ids.length} of ${get().photos.length} open photos${ids.length ? '' : ' (no image of the file has the name and size of an open photo)'}${notes.length ? `; ${notes.join('; ')}` : ''}`,
      );
      return ids.length;
    },

    async isGroundTruthFile(file) {
      return isCocoJsonFile(file) || (await readMaskOnce(file)) !== undefined;
    },

    async claimGroundTruthFile(file) {
      if (isCocoJsonFile(file)) {
        if (!(await get().importTagsFile(file))) await get().importCocoGroundTruth(file);
        return true;
      }
      const png = await readMaskOnce(file);
      if (!png) return false;
      const name = file.name || 'ground truth';
      const { photo, named } = matchMaskToPhoto(name, png, get().photos, get().activePhotoId);
      if (!photo) {
        const activeName = get().photos.find((p) => p.id === get().activePhotoId)?.name ?? 'photo.jpg';
        get().notify(
          'error',
          named
            ? `${name}: the mask is ${png.width}×${png.height} but ${named.name} is ${named.originalWidth}×${named.originalHeight}; ground truth must have the photo's original size`
            : `${name}: looks like a mask but matches no open photo by name or size (${png.width}×${png.height}; name it after its photo, e.g. ${fileStem(activeName)}_mask.png)`,
        );
        return true;
      }
      store(photo, fitToPhoto(name, png, photo));
      return true;
    },
  };
};
