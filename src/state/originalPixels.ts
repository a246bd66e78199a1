// A photo's pixels at its original size, orientation as displayed (EXIF applied), for exports that show the photo
// (colour overlays). Decoded from the stored file on demand: the studio keeps only the working copy in memory.
import type { Photo } from './photoSlice.ts';

export async function originalPixels(photo: Pick<Photo, 'file' | 'originalWidth' | 'originalHeight'>): Promise<Uint8ClampedArray> {
  const { originalWidth: width, originalHeight: height } = photo;
  const bitmap = await createImageBitmap(photo.file, { imageOrientation: 'from-image' });
  try {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('this browser cannot read image pixels (no 2D canvas)');
    // As in decodePhoto: transparent areas read as white.
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(bitmap, 0, 0, width, height);
    return ctx.getImageData(0, 0, width, height).data;
  } finally {
    bitmap.close();
  }
}
