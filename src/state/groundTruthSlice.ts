// Ground-truth class-index masks per photo (VOC palette PNGs or grayscale class-index PNGs, 255 = ignore),
// for the superpixel oracle and the ground-truth overlay. Masks must have the photo's original size (that is
// how datasets ship them); they are kept at the working size, nearest-neighbour, like every other map.
import type { StateCreator } from 'zustand';
import { decodeIndexPng } from '../core/pngCodec.ts';
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
  /**
   * Takes a dropped file as the active photo's ground truth when it looks like one (a single-channel PNG of
   * exactly the photo's original size), so masks can be dropped like photos. True when it was taken.
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

function toGroundTruth(name: string, bytes: Uint8Array, photo: Photo): GroundTruth {
  let png;
  try {
    png = decodeIndexPng(bytes);
  } catch (err) {
    throw new Error(`not a class-index PNG (${(err as Error).message})`);
  }
  if (png.width !== photo.originalWidth || png.height !== photo.originalHeight) {
    throw new Error(
      `the mask is ${png.width}×${png.height} but ${photo.name} is ${photo.originalWidth}×${photo.originalHeight}; ground truth must have the photo's original size`,
    );
  }
  for (let i = 0; i < png.values.length; i++) {
    if (png.values[i] > IGNORE_LABEL) throw new Error(`value ${png.values[i]} is not a class index (0..254, 255 = ignore)`);
  }
  const { width, height } = photo.working;
  const classes = resizeNearest(png.values, png.width, png.height, width, height);
  const seen = new Uint8Array(256);
  for (let i = 0; i < classes.length; i++) seen[classes[i]] = 1;
  const present = [...seen.keys()].filter((c) => seen[c] && c !== IGNORE_LABEL);
  return { name, width, height, classes, present };
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

    async claimGroundTruthFile(file) {
      const photo = get().photos.find((p) => p.id === get().activePhotoId);
      if (!photo || (file.type && file.type !== 'image/png')) return false;
      const header = pngHeader(new Uint8Array(await file.slice(0, 26).arrayBuffer()));
      if (!header?.singleChannel || header.width !== photo.originalWidth || header.height !== photo.originalHeight) return false;
      let gt: GroundTruth;
      try {
        gt = toGroundTruth(file.name, new Uint8Array(await file.arrayBuffer()), photo);
      } catch {
        return false;
      }
      // A grayscale photo of the same size is no mask: masks hold a few dozen classes at most.
      if (gt.present.length > MAX_CLAIMED_CLASSES) return false;
      store(photo, gt);
      return true;
    },
  };
};
