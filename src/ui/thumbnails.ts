// One small thumbnail per photo for the filmstrip: drawn once from the working copy, downscaled by the browser
// (createImageBitmap resize, no full-size canvas), kept as a PNG object URL cached by photo id.
import type { Photo } from '../state/photoSlice.ts';

export const THUMBNAIL_SIDE = 48;

const cache = new Map<string, Promise<string>>();

async function draw(working: ImageData): Promise<string> {
  const scale = THUMBNAIL_SIDE / Math.max(working.width, working.height);
  const width = Math.max(1, Math.round(working.width * scale));
  const height = Math.max(1, Math.round(working.height * scale));
  const bitmap = await createImageBitmap(working, { resizeWidth: width, resizeHeight: height, resizeQuality: 'medium' });
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('thumbnail could not be encoded');
  return URL.createObjectURL(blob);
}

/** The photo's thumbnail URL, made on first request. */
export function thumbnailUrl(photo: Pick<Photo, 'id' | 'working'>): Promise<string> {
  let url = cache.get(photo.id);
  if (!url) {
    url = draw(photo.working);
    cache.set(photo.id, url);
    // A failed thumbnail is tried again next time rather than remembered.
    url.catch(() => cache.delete(photo.id));
  }
  return url;
}

/** Frees the thumbnails of photos no longer open. */
export function forgetThumbnails(openIds: ReadonlySet<string>): void {
  for (const [id, url] of cache) {
    if (openIds.has(id)) continue;
    cache.delete(id);
    void url.then(URL.revokeObjectURL, () => undefined);
  }
}
