// Pixel buffers for the segmentation layers: class colours, the uncertainty view (ilastik-style: bright
// where the head is unsure), and the user's strokes in their class colours.
import { hexToRgb } from '../core/hexColor.ts';
import { IGNORE_LABEL } from '../core/types.ts';

export interface Rgba {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** Class index per pixel → its colour; indices without a colour (and IGNORE_LABEL) stay transparent. */
export function classColors(classes: Uint8Array, width: number, height: number, colors: readonly string[]): Rgba {
  const rgb = colors.map(hexToRgb);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i];
    const col = c === IGNORE_LABEL ? undefined : rgb[c];
    if (!col) continue;
    data[i * 4] = col[0];
    data[i * 4 + 1] = col[1];
    data[i * 4 + 2] = col[2];
    data[i * 4 + 3] = 255;
  }
  return { width, height, data };
}

/** Confidence 0..255 per pixel → white with alpha growing as confidence falls. */
export function uncertainty(confidence: Uint8Array, width: number, height: number): Rgba {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < confidence.length; i++) {
    data[i * 4] = 255;
    data[i * 4 + 1] = 80;
    data[i * 4 + 2] = 40;
    data[i * 4 + 3] = 255 - confidence[i];
  }
  return { width, height, data };
}
