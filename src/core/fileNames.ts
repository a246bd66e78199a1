// File names the studio derives or matches: the exported mask's name, and the photo a dropped ground-truth
// mask belongs to (by stem, as datasets name them: VOC's 2007_000032.jpg ↔ 2007_000032.png, chelsea.png ↔
// chelsea_mask.png).

/** The name without its last extension ('chelsea.png' → 'chelsea'; 'a.b.jpg' → 'a.b'). */
export function fileStem(name: string): string {
  return name.replace(/\.[^./\\]*$/, '');
}

/** The exported mask's file name: `<stem>-mask.png`, never the photo's own name (chelsea.png → chelsea-mask.png). */
export function maskFileName(photoName: string): string {
  return `${fileStem(photoName) || 'photo'}-mask.png`;
}

/** Suffixes a mask's stem may carry after its photo's stem. */
export const MASK_SUFFIXES = ['_mask', '-mask', '.mask', '_gt', '-gt', '.gt', '_label', '-label', '.label'] as const;

/** The photo stems a mask file may belong to, lower case: its own stem, and that stem less a known suffix. */
export function maskPhotoStems(maskName: string): string[] {
  const stem = fileStem(maskName).toLowerCase();
  const stems = [stem];
  for (const suffix of MASK_SUFFIXES) {
    if (stem.length > suffix.length && stem.endsWith(suffix)) stems.push(stem.slice(0, -suffix.length));
  }
  return stems;
}

/** Whether the mask file's name names the photo (case-insensitive). */
export function maskNamesPhoto(maskName: string, photoName: string): boolean {
  return maskPhotoStems(maskName).includes(fileStem(photoName).toLowerCase());
}

/** An exported depth file's name: `<stem>-depth.png` (16-bit millimetres) or `<stem>-depth.ply` (point cloud). */
export function depthFileName(photoName: string, extension: 'png' | 'ply'): string {
  return `${fileStem(photoName) || 'photo'}-depth.${extension}`;
}
