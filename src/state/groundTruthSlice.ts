// Ground-truth class-index masks per photo (VOC palette PNGs or grayscale class-index PNGs, 255 = ignore),
// for the superpixel oracle and the ground-truth overlay. Masks must have the photo's original size (that is
// how datasets ship them); they are kept at the working size, nearest-neighbour, like every other map.
// A mask dropped like a photo goes to the photo its name names (chelsea_mask.png → chelsea.jpg), else to the
// selected photo when the sizes match; it never becomes a photo itself.
import type { StateCreator } from 'zustand';
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
  /** Decodes `file` as the photo's ground truth; a message and false if it does not fit. */
  attachGroundTruth(photoId: string, file: Blob & { name?: string }): Promise<boolean>;
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

/** Size and colour type from a PNG's IHDR, or undefined for anything else; reads 26 bytes only. */
export function pngHeader(bytes: Uint8Array): { width: number; height: number; singleChannel: boolean } | undefined {
  if (bytes.length < 26 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const colourType = bytes[25];
  // 0 = grayscale, 3 = palette: the two ways class-index masks are stored.
  return { width: view.getUint32(16), height: view.getUint32(20), singleChannel: colourType === 0 || colourType === 3 };
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
  const store = (photo: Photo, gt: GroundTruth) => {
    set((s) => ({ groundTruth: { ...s.groundTruth, [photo.id]: gt } }));
    get().notify('info', `${gt.name}: ground truth for ${photo.name} (${gt.present.length} classes)`);
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

    async isGroundTruthFile(file) {
      return (await readMaskOnce(file)) !== undefined;
    },

    async claimGroundTruthFile(file) {
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
