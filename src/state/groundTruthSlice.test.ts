import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { encode } from 'fast-png';
import { cocoClassMasks, readCocoInstances } from '../core/cocoImport.ts';
import { encodeClassIndexPng } from '../core/pngCodec.ts';
import { vocLabelSet, vocPalette } from '../core/labelSets.ts';
import { resizeNearest } from '../core/resizeNearest.ts';
import { sharedDataPath } from '../core/testData.ts';
import { create } from 'zustand';
import { createGroundTruthSlice, looksLikeMask, matchMaskToPhoto, pngHeader } from './groundTruthSlice.ts';
import { createTagClassSlice } from './tagClassSlice.ts';
import { createHistorySlice } from './historySlice.ts';
import { createMessageSlice } from './messageSlice.ts';
import type { Photo } from './photoSlice.ts';
import type { StudioState } from './studioStore.ts';

describe('pngHeader', () => {
  it('reads size and tells single-channel masks from colour images', () => {
    expect(pngHeader(encodeClassIndexPng(new Uint8Array(12), 4, 3, vocPalette()))).toEqual({ width: 4, height: 3, singleChannel: true, grayscale16: false });
    expect(pngHeader(encode({ width: 5, height: 2, data: new Uint8Array(10), depth: 8, channels: 1 }))).toEqual({ width: 5, height: 2, singleChannel: true, grayscale16: false });
    expect(pngHeader(encode({ width: 5, height: 2, data: new Uint8Array(30), depth: 8, channels: 3 }))?.singleChannel).toBe(false);
    // A depth map in millimetres (NYUv2's, the studio's depth export).
    expect(pngHeader(encode({ width: 5, height: 2, data: new Uint16Array(10), depth: 16, channels: 1 }))).toEqual({ width: 5, height: 2, singleChannel: true, grayscale16: true });
  });

  it('is undefined for anything but a PNG', () => {
    expect(pngHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new Array(30).fill(0)]))).toBeUndefined();
    expect(pngHeader(new Uint8Array(4))).toBeUndefined();
  });
});

describe('looksLikeMask', () => {
  it('takes few class values (255 = ignore aside) for a mask, a gray ramp for a photo', () => {
    expect(looksLikeMask(new Uint8Array([0, 15, 15, 255, 0]))).toBe(true);
    expect(looksLikeMask(Uint8Array.from({ length: 256 }, (_, i) => i))).toBe(false);
    expect(looksLikeMask(new Uint16Array([0, 300]))).toBe(false);
  });
});

describe('matchMaskToPhoto', () => {
  const photo = (id: string, name: string, w: number, h: number) => ({ id, name, originalWidth: w, originalHeight: h });
  const chelsea = photo('c', 'chelsea.png', 451, 300);
  const astronaut = photo('a', 'astronaut.png', 512, 512);
  const photos = [chelsea, astronaut];

  it('goes by name first, whichever photo is selected', () => {
    expect(matchMaskToPhoto('chelsea_mask.png', { width: 451, height: 300 }, photos, 'a')).toEqual({ photo: chelsea });
    expect(matchMaskToPhoto('chelsea.png', { width: 451, height: 300 }, photos, 'a')).toEqual({ photo: chelsea });
  });

  it('names the photo when its name matches but its size does not', () => {
    expect(matchMaskToPhoto('chelsea-gt.png', { width: 512, height: 512 }, photos, 'a')).toEqual({ named: chelsea });
  });

  it('falls back to the selected photo of the same size, and to nothing else', () => {
    expect(matchMaskToPhoto('labels.png', { width: 512, height: 512 }, photos, 'a')).toEqual({ photo: astronaut });
    expect(matchMaskToPhoto('labels.png', { width: 451, height: 300 }, photos, 'a')).toEqual({});
    expect(matchMaskToPhoto('labels.png', { width: 451, height: 300 }, [], undefined)).toEqual({});
  });
});

describe('claimGroundTruthFile', () => {
  function studio(activePhotoId: string) {
    const photo = (id: string, name: string, w: number, h: number) =>
      ({ id, name, originalWidth: w, originalHeight: h, working: { width: w, height: h } }) as unknown as Photo;
    return create<StudioState>()(
      (set, get, api) =>
        ({
          photos: [photo('c', 'chelsea.png', 6, 4), photo('a', 'astronaut.png', 8, 8)],
          activePhotoId,
          ...createMessageSlice(set, get, api),
          ...createHistorySlice(set, get, api),
          ...createGroundTruthSlice(set, get, api),
        }) as unknown as StudioState,
    );
  }
  const mask = (name: string, w: number, h: number, cls = 15) => {
    const data = new Uint8Array(w * h).fill(0);
    data.fill(cls, 0, w);
    return new File([encode({ width: w, height: h, data, depth: 8, channels: 1 }) as BlobPart], name, { type: 'image/png' });
  };

  it('attaches a mask to the photo its name names, not to the selected one', async () => {
    const store = studio('a');
    const file = mask('chelsea_mask.png', 6, 4);
    expect(await store.getState().isGroundTruthFile(file)).toBe(true);
    expect(await store.getState().claimGroundTruthFile(file)).toBe(true);
    expect(store.getState().groundTruth.c?.present).toEqual([0, 15]);
    expect(store.getState().groundTruth.a).toBeUndefined();
  });

  it('replaces a photo\'s ground truth undoably: Undo brings the earlier mask back, then none', async () => {
    const store = studio('a');
    await store.getState().claimGroundTruthFile(mask('chelsea_mask.png', 6, 4));
    await store.getState().claimGroundTruthFile(mask('chelsea-gt.png', 6, 4, 8));
    expect(store.getState().groundTruth.c?.present).toEqual([0, 8]);
    expect(store.getState().messages.at(-1)?.text).toContain('replaces chelsea_mask.png');
    store.getState().undo();
    expect(store.getState().groundTruth.c?.present).toEqual([0, 15]);
    store.getState().undo();
    expect(store.getState().groundTruth.c).toBeUndefined();
    store.getState().redo();
    expect(store.getState().groundTruth.c?.name).toBe('chelsea_mask.png');
  });

    it('reports a mask that matches no photo by name or size, and still claims it (no new photo)', async () => {
    const store = studio('a');
    expect(await store.getState().claimGroundTruthFile(mask('labels.png', 5, 5))).toBe(true);
    expect(store.getState().groundTruth).toEqual({});
    expect(store.getState().messages.at(-1)).toMatchObject({ level: 'error' });
    expect(store.getState().messages.at(-1)?.text).toContain('labels.png: looks like a mask but matches no open photo by name or size');
  });

  it('names both sizes when the name matches but the size does not', async () => {
    const store = studio('a');
    expect(await store.getState().claimGroundTruthFile(mask('chelsea-mask.png', 8, 8))).toBe(true);
    expect(store.getState().groundTruth).toEqual({});
    expect(store.getState().messages.at(-1)?.text).toContain('the mask is 8×8 but chelsea.png is 6×4');
  });

  it('leaves a grayscale photo and a colour PNG to be opened as photos', async () => {
    const store = studio('a');
    const ramp = new File([encode({ width: 16, height: 16, data: Uint8Array.from({ length: 256 }, (_, i) => i), depth: 8, channels: 1 }) as BlobPart], 'gray.png', {
      type: 'image/png',
    });
    const rgb = new File([encode({ width: 6, height: 4, data: new Uint8Array(72), depth: 8, channels: 3 }) as BlobPart], 'chelsea_mask.png', { type: 'image/png' });
    for (const f of [ramp, rgb]) {
      expect(await store.getState().isGroundTruthFile(f)).toBe(false);
      expect(await store.getState().claimGroundTruthFile(f)).toBe(false);
    }
  });
});

describe('importCocoGroundTruth', () => {
  // Three coco-mini photos open under their own names (one at half size, so it keeps a working copy smaller than
  // the original), one under a name the JSON has at another size, one the JSON does not name.
  async function studio() {
    const coco = readCocoInstances(JSON.parse(await readFile(sharedDataPath('coco-mini', 'instances.json'), 'utf8')));
    const [a, b, c, d] = coco.images;
    const photo = (id: string, name: string, w: number, h: number, scale = 1) =>
      ({ id, name, originalWidth: w, originalHeight: h, working: { width: Math.round(w * scale), height: Math.round(h * scale) } }) as unknown as Photo;
    const photos = [
      photo('a', a.file_name, a.width, a.height),
      photo('b', b.file_name.replace('.jpg', '.png'), b.width, b.height),
      photo('c', c.file_name, c.width, c.height, 0.5),
      photo('d', d.file_name, d.width + 1, d.height),
      photo('x', 'chelsea.png', 451, 300),
    ];
    const store = create<StudioState>()(
      (set, get, api) =>
        ({
          photos,
          activePhotoId: 'x',
          labelSet: vocLabelSet(),
          model: { status: 'idle' },
          superpixels: {},
          ...createMessageSlice(set, get, api),
          ...createHistorySlice(set, get, api),
          ...createGroundTruthSlice(set, get, api),
          ...createTagClassSlice(set, get, api),
        }) as unknown as StudioState,
    );
    return { store, coco, images: [a, b, c, d] };
  }
  const json = async () => new File([await readFile(sharedDataPath('coco-mini', 'instances.json'))], 'instances.json', { type: 'application/json' });

  it('attaches a mask to every photo an image names at its size, as one undoable edit', async () => {
    const { store, coco, images } = await studio();
    const file = await json();
    expect(await store.getState().isGroundTruthFile(file)).toBe(true);
    expect(await store.getState().claimGroundTruthFile(file)).toBe(true);
    const s = store.getState();
    expect(Object.keys(s.groundTruth).sort()).toEqual(['a', 'b', 'c']);
    const decoded = cocoClassMasks(coco, vocLabelSet());
    const [a, , c] = images;
    expect(Buffer.from(s.groundTruth.a.classes).equals(Buffer.from(decoded.classMask(a)))).toBe(true);
    expect(s.groundTruth.c.classes).toEqual(resizeNearest(decoded.classMask(c), c.width, c.height, Math.round(c.width * 0.5), Math.round(c.height * 0.5)));
    expect(s.groundTruth.a.present).toContain(15);
    const text = s.messages.at(-1)?.text ?? '';
    expect(text).toContain('instances.json: ground truth for 3 of 5 open photos');
    expect(text).toContain(`1 named an open photo of another size (${images[3].file_name}`);
    expect(text).toContain('categories without a class of that name are background');
    expect(s.past).toHaveLength(1);
    s.undo();
    expect(store.getState().groundTruth).toEqual({});
    store.getState().redo();
    expect(Object.keys(store.getState().groundTruth).sort()).toEqual(['a', 'b', 'c']);
  });

  it('through Load ground truth… too, and reports a JSON that is not COCO or names no open photo', async () => {
    const { store } = await studio();
    expect(await store.getState().attachGroundTruth('x', await json())).toBe(true);
    expect(Object.keys(store.getState().groundTruth)).toHaveLength(3);
    const { store: other } = await studio();
    expect(await other.getState().attachGroundTruth('x', new File(['{"images": []}'], 'notes.json'))).toBe(false);
    expect(other.getState().messages.at(-1)?.text).toBe('notes.json: not a COCO instances file (needs images, annotations and categories)');
    const none = new File([JSON.stringify({ images: [{ id: 1, file_name: 'elsewhere.jpg', width: 4, height: 4 }], annotations: [], categories: [] })], 'other.json');
    expect(await other.getState().importCocoGroundTruth(none)).toBe(0);
    expect(other.getState().messages.at(-1)).toMatchObject({ level: 'error' });
    expect(other.getState().past).toHaveLength(0);
  });

  it('takes a JSON of image-level tags (stem → class names) as tags, not ground truth', async () => {
    const { store, images } = await studio();
    const stem = images[0].file_name.replace(/\.[^.]*$/, '');
    const tags = new File([JSON.stringify({ [stem]: ['person', 'dog'] })], 'tags.json', { type: 'application/json' });
    expect(await store.getState().claimGroundTruthFile(tags)).toBe(true);
    const s = store.getState();
    expect(s.groundTruth).toEqual({});
    expect(s.photoTags.a.shows).toEqual(['dog', 'person']);
    expect(s.photoTags.a.lacks).toHaveLength(18);
    expect(s.messages.at(-1)?.text).toBe('tags.json: tags for 1 of 5 open photos (each shows its listed classes and lacks the others)');
  });
});
