import { describe, expect, it } from 'vitest';
import { encode } from 'fast-png';
import { encodeClassIndexPng } from '../core/pngCodec.ts';
import { vocPalette } from '../core/labelSets.ts';
import { create } from 'zustand';
import { createGroundTruthSlice, looksLikeMask, matchMaskToPhoto, pngHeader } from './groundTruthSlice.ts';
import { createMessageSlice } from './messageSlice.ts';
import type { Photo } from './photoSlice.ts';
import type { StudioState } from './studioStore.ts';

describe('pngHeader', () => {
  it('reads size and tells single-channel masks from colour images', () => {
    expect(pngHeader(encodeClassIndexPng(new Uint8Array(12), 4, 3, vocPalette()))).toEqual({ width: 4, height: 3, singleChannel: true });
    expect(pngHeader(encode({ width: 5, height: 2, data: new Uint8Array(10), depth: 8, channels: 1 }))).toEqual({ width: 5, height: 2, singleChannel: true });
    expect(pngHeader(encode({ width: 5, height: 2, data: new Uint8Array(30), depth: 8, channels: 3 }))?.singleChannel).toBe(false);
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
          ...createGroundTruthSlice(set, get, api),
        }) as unknown as StudioState,
    );
  }
  const mask = (name: string, w: number, h: number) => {
    const data = new Uint8Array(w * h).fill(0);
    data.fill(15, 0, w);
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
