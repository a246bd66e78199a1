// The segmentation's contribution to the viewer: the labels (or their uncertainty) and the user's strokes.
import { useMemo } from 'react';
import { rasterizeStrokes } from '../core/strokes.ts';
import { activePhoto, useStudio } from '../state/studioStore.ts';
import type { OverlayLayer } from './overlayLayers.ts';
import { classColors, uncertainty, type Rgba } from './segmentationOverlay.ts';

const toImageData = (r: Rgba) => new ImageData(r.data as Uint8ClampedArray<ArrayBuffer>, r.width, r.height);

export function useSegmentationLayers(): OverlayLayer[] {
  const photo = useStudio(activePhoto);
  const seg = useStudio((s) => (s.activePhotoId ? s.segmentations[s.activePhotoId] : undefined));
  const strokes = useStudio((s) => (s.activePhotoId ? s.strokes[s.activePhotoId] : undefined));
  const draft = useStudio((s) => (s.draft && s.draft.photoId === s.activePhotoId ? s.draft.stroke : undefined));
  const view = useStudio((s) => s.segmentationView);
  const opacity = useStudio((s) => s.segmentationOpacity);
  const labelSet = useStudio((s) => s.labelSet);
  const colors = useMemo(() => labelSet.classes.map((c) => c.color), [labelSet]);

  const labels = useMemo(() => {
    if (!seg || view === 'none') return undefined;
    return toImageData(view === 'classes' ? classColors(seg.classes, seg.width, seg.height, colors) : uncertainty(seg.confidence, seg.width, seg.height));
  }, [seg, view, colors]);

  const painted = useMemo(() => {
    if (!photo) return undefined;
    const all = draft ? [...(strokes ?? []), draft] : (strokes ?? []);
    if (all.length === 0) return undefined;
    const { width, height } = photo.working;
    return toImageData(classColors(rasterizeStrokes(all, width, height), width, height, colors));
  }, [photo, strokes, draft, colors]);

  return useMemo(
    () => [
      ...(labels ? [{ id: 'segmentation', image: labels, opacity, smooth: false }] : []),
      ...(painted ? [{ id: 'strokes', image: painted, opacity: 0.9, smooth: false }] : []),
    ],
    [labels, painted, opacity],
  );
}
