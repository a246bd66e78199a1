// The superpixels a per-photo head is trained on, shared by the studio's default and the `segment` pipeline:
// k = 300 beat the thesis's 500 by 4 mIoU at one click per class over 3 click seeds (docs/zoomout.md) — with
// a handful of clicks, larger superpixels carry each click further.
export const SEGMENTATION_SLIC = { k: 300, m: 15 } as const;
