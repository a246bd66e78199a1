// Turns a dropped/picked/pasted file into pixels the studio can use, with a clear message for anything that
// is not a readable image. The browser's decoder applies EXIF orientation and handles alpha, grayscale and
// 16-bit PNGs; huge photos are decoded straight to a working copy so a 12000×9000 file never sits in memory
// at full size (the original size is kept for exported masks).
import { fitWithin } from '../core/modelInputSize.ts';

/** Longest side of the working copy used for superpixels, features and display. */
export const WORKING_LONG_SIDE = 1024;

export interface DecodedPhoto {
  originalWidth: number;
  originalHeight: number;
  working: ImageData;
}

function naturalSize(url: string): Promise<{ width: number; height: number }> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () => reject(new Error('not a readable image (corrupt, truncated or an unsupported format)'));
    img.src = url;
  });
}

export async function decodePhoto(file: Blob): Promise<DecodedPhoto> {
  if (file.size === 0) throw new Error('the file is empty');
  if (file.type && !file.type.startsWith('image/')) throw new Error(`not an image (${file.type})`);
  const url = URL.createObjectURL(file);
  try {
    const { width, height } = await naturalSize(url);
    if (!width || !height) throw new Error('the image has no pixels');
    const size = fitWithin(width, height, WORKING_LONG_SIDE);
    let bitmap: ImageBitmap;
    try {
      bitmap = await createImageBitmap(file, { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'high', imageOrientation: 'from-image' });
    } catch {
      throw new Error('not a readable image (the browser could not decode it)');
    }
    const canvas = new OffscreenCanvas(size.width, size.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    if (!ctx) throw new Error('this browser cannot read image pixels (no 2D canvas)');
    // Transparent areas become white: the model has no alpha input, and white reads as background.
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, size.width, size.height);
    ctx.drawImage(bitmap, 0, 0);
    bitmap.close();
    return { originalWidth: width, originalHeight: height, working: ctx.getImageData(0, 0, size.width, size.height) };
  } finally {
    URL.revokeObjectURL(url);
  }
}
