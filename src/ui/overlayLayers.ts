// The layers the viewer draws over the photo, bottom to top. Each domain (heatmaps, superpixels,
// segmentation, …) contributes its layer here; a layer is an image in the photo's working resolution
// (or any resolution: it is stretched over the photo) with an opacity.
import { useMemo } from 'react';
import { useStudio } from '../state/studioStore.ts';
import { colorize } from './colormap.ts';
import { useSuperpixelLayers } from './superpixelOverlayLayers.ts';
import { useSegmentationLayers } from './segmentationLayers.ts';
import { useSamplingLayers } from './samplingLayers.ts';

export interface OverlayLayer {
  id: string;
  image: ImageData;
  opacity: number;
  /** Nearest-neighbour scaling keeps label maps crisp; smooth scaling suits heatmaps. */
  smooth: boolean;
}

export function useOverlayLayers(): OverlayLayer[] {
  const heatmapData = useStudio((s) => s.heatmapData);
  const heatmapOpacity = useStudio((s) => s.heatmapOpacity);
  const heat = useMemo(() => heatmapData && colorize(heatmapData.values, heatmapData.width, heatmapData.height), [heatmapData]);
  const superpixelLayers = useSuperpixelLayers();
  const segmentationLayers = useSegmentationLayers();
  const samplingLayers = useSamplingLayers();
  return useMemo(
    () => [...(heat ? [{ id: 'heatmap', image: heat, opacity: heatmapOpacity, smooth: true }] : []), ...superpixelLayers, ...segmentationLayers, ...samplingLayers],
    [heat, heatmapOpacity, superpixelLayers, segmentationLayers, samplingLayers],
  );
}
