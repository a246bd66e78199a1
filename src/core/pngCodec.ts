// Mask codecs shared by the studio's exports and the CLI: palette class-index PNGs, and reading label PNGs.
import { encode, decode } from 'fast-png';

/** A palette PNG whose pixel values are class indices; `palette[i]` is the RGB of class i. */
export function encodeClassIndexPng(
  classes: Uint8Array,
  width: number,
  height: number,
  palette: ReadonlyArray<readonly [number, number, number]>,
): Uint8Array {
  const full: [number, number, number][] = [];
  for (let i = 0; i < 256; i++) {
    const c = palette[i];
    full.push(c ? [c[0], c[1], c[2]] : [0, 0, 0]);
  }
  return encode({ width, height, data: classes, depth: 8, channels: 1, palette: full });
}

export interface DecodedIndexPng {
  width: number;
  height: number;
  /** Pixel values as stored: palette indices for palette PNGs, gray levels for grayscale ones. */
  values: Uint8Array | Uint16Array;
}

/**
 * Reads a class-index or label PNG as stored values (no palette expansion), so a VOC palette PNG
 * gives its class indices and a grayscale PNG its levels.
 */
export function decodeIndexPng(bytes: Uint8Array): DecodedIndexPng {
  const png = decode(bytes);
  if (png.channels !== 1) {
    throw new Error(`expected a single-channel (palette or grayscale) PNG, got ${png.channels} channels`);
  }
  const values = png.data instanceof Uint16Array ? png.data : new Uint8Array(png.data.buffer, png.data.byteOffset, png.data.length);
  return { width: png.width, height: png.height, values };
}
