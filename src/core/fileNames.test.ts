import { describe, expect, it } from 'vitest';
import { depthFileName, fileStem, maskFileName, maskNamesPhoto, maskPhotoStems } from './fileNames.ts';

describe('file names', () => {
  it('exports a mask under a name that never collides with its photo', () => {
    expect(maskFileName('chelsea.png')).toBe('chelsea-mask.png');
    expect(maskFileName('rocket.jpg')).toBe('rocket-mask.png');
    expect(maskFileName('a.b.jpeg')).toBe('a.b-mask.png');
    expect(maskFileName('pasted image')).toBe('pasted image-mask.png');
    expect(maskFileName('.png')).toBe('photo-mask.png');
    for (const name of ['chelsea.png', 'x-mask.png', 'y']) expect(maskFileName(name)).not.toBe(name);
  });

  it('names depth exports after the photo, never as the photo', () => {
    expect(depthFileName('chelsea.png', 'png')).toBe('chelsea-depth.png');
    expect(depthFileName('rocket.jpg', 'ply')).toBe('rocket-depth.ply');
    expect(depthFileName('.png', 'png')).toBe('photo-depth.png');
    for (const name of ['x-depth.png', 'y.ply']) for (const ext of ['png', 'ply'] as const) expect(depthFileName(name, ext)).not.toBe(name);
  });

  it('takes the stem off the last extension only', () => {
    expect(fileStem('2007_000032.jpg')).toBe('2007_000032');
    expect(fileStem('chelsea.mask.png')).toBe('chelsea.mask');
    expect(fileStem('noext')).toBe('noext');
  });

  it('matches a mask to its photo by stem, with or without a mask suffix', () => {
    expect(maskPhotoStems('Chelsea_Mask.png')).toEqual(['chelsea_mask', 'chelsea']);
    for (const mask of ['chelsea.png', 'chelsea_mask.png', 'chelsea-mask.png', 'chelsea.mask.png', 'chelsea_gt.png', 'chelsea-gt.png', 'chelsea_label.png', 'chelsea-label.png', 'CHELSEA.png']) {
      expect(maskNamesPhoto(mask, 'chelsea.jpg'), mask).toBe(true);
    }
    expect(maskNamesPhoto('2007_000032.png', '2007_000032.jpg')).toBe(true);
    expect(maskNamesPhoto('chelsea_mask.png', 'astronaut.png')).toBe(false);
    expect(maskNamesPhoto('chelseax.png', 'chelsea.png')).toBe(false);
    expect(maskNamesPhoto('_mask.png', '.png')).toBe(false);
  });
});
