// The superpixel and ground-truth layers of the viewer, built from the active photo's results.
import { useMemo } from 'react';
import { exportPalette } from '../core/labelSets.ts';
import type { SuperpixelOverlayStyle } from '../state/superpixelSlice.ts';
import { useStudio } from '../state/studioStore.ts';
import type { SuperpixelResult } from '../worker/superpixelProtocol.ts';
import type { OverlayLayer } from './overlayLayers.ts';
import { toImageData } from './superpixelOverlay.ts';
import { boundaryOverlay, classIndexOverlay, meanColourOverlay, randomColourOverlay, type OverlayPixels } from './superpixelOverlay.ts';

function picture(r: SuperpixelResult, style: Exclude<SuperpixelOverlayStyle, 'none'>): OverlayPixels {
  if (style === 'boundaries') return boundaryOverlay(r.labels, r.width, r.height);
  if (style === 'mean colour') return meanColourOverlay(r.labels, r.width, r.height, r.meanColors);
  return randomColourOverlay(r.labels, r.width, r.height, r.count);
}

/** Ground truth under the superpixels, so boundaries can be judged against it. */
export function useSuperpixelLayers(): OverlayLayer[] {
  const result = useStudio((s) => (s.activePhotoId ? s.superpixels[s.activePhotoId] : undefined));
  const truth = useStudio((s) => (s.activePhotoId ? s.groundTruth[s.activePhotoId] : undefined));
  const style = useStudio((s) => s.superpixelOverlay);
  const showTruth = useStudio((s) => s.showGroundTruth);
  const opacity = useStudio((s) => s.superpixelOpacity);
  const labelSet = useStudio((s) => s.labelSet);
  // Ground truth in the classes' own colours, as the labels and exports show them.
  const palette = useMemo(() => exportPalette(labelSet), [labelSet]);
  const regions = useMemo(() => (result && style !== 'none' ? toImageData(picture(result, style)) : undefined), [result, style]);
  const truthImage = useMemo(
    () => (truth && showTruth ? toImageData(classIndexOverlay(truth.classes, truth.width, truth.height, palette)) : undefined),
    [truth, showTruth, palette],
  );
  return useMemo(() => {
    const layers: OverlayLayer[] = [];
    if (truthImage) layers.push({ id: 'ground-truth', image: truthImage, opacity, smooth: false });
    if (regions) layers.push({ id: 'superpixels', image: regions, opacity, smooth: false });
    return layers;
  }, [truthImage, regions, opacity]);
}
