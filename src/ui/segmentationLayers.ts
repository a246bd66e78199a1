// The segmentation's contribution to the viewer: the labels (or their uncertainty) and the user's strokes.
import { useMemo } from 'react';
import { rasterizeStrokes } from '../core/strokes.ts';
import { activePhoto, useStudio } from '../state/studioStore.ts';
import { segmentationPixels } from '../state/segmentationPixels.ts';
import { hexToRgb } from '../core/hexColor.ts';
import type { OverlayLayer } from './overlayLayers.ts';
import { toImageData } from './superpixelOverlay.ts';
import { uncertaintyOverlay } from './segmentationOverlay.ts';
import { classIndexOverlay } from './superpixelOverlay.ts';

export function useSegmentationLayers(): OverlayLayer[] {
  const photo = useStudio(activePhoto);
  const seg = useStudio((s) => (s.activePhotoId ? segmentationPixels(s, s.activePhotoId) : undefined));
  const strokes = useStudio((s) => (s.activePhotoId ? s.strokes[s.activePhotoId] : undefined));
  const draft = useStudio((s) => (s.draft && s.draft.photoId === s.activePhotoId ? s.draft.stroke : undefined));
  const view = useStudio((s) => s.segmentationView);
  const opacity = useStudio((s) => s.segmentationOpacity);
  const labelSet = useStudio((s) => s.labelSet);
  const palette = useMemo(() => labelSet.classes.map((c) => hexToRgb(c.color)), [labelSet]);

  const labels = useMemo(() => {
    if (!seg || view === 'none') return undefined;
    return toImageData(view === 'classes' ? classIndexOverlay(seg.classes, seg.width, seg.height, palette) : uncertaintyOverlay(seg.confidence, seg.width, seg.height));
  }, [seg, view, palette]);

  const painted = useMemo(() => {
    if (!photo) return undefined;
    const all = draft ? [...(strokes ?? []), draft] : (strokes ?? []);
    if (all.length === 0) return undefined;
    const { width, height } = photo.working;
    return toImageData(classIndexOverlay(rasterizeStrokes(all, width, height), width, height, palette));
  }, [photo, strokes, draft, palette]);

  return useMemo(
    () => [
      ...(labels ? [{ id: 'segmentation', image: labels, opacity, smooth: false }] : []),
      ...(painted ? [{ id: 'strokes', image: painted, opacity: 0.9, smooth: false }] : []),
    ],
    [labels, painted, opacity],
  );
}
