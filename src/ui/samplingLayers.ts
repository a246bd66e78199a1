// The suggestions' contribution to the viewer (thesis ch. 4): the selected localization map (a class's detector
// map, or the background affinity map of eq. 4.3.5) painted per superpixel with the heatmap ramp, and the
// points sampled on it as discs in their class's colour with their order of choice.
import { useMemo } from 'react';
import { hexToRgb } from '../core/hexColor.ts';
import { SAMPLING_DEFAULTS } from '../ml/samplingDefaults.ts';
import type { SampledPoint } from '../ml/sampledPoints.ts';
import { useStudio } from '../state/studioStore.ts';
import { colorize } from './colormap.ts';
import type { OverlayLayer } from './overlayLayers.ts';

/** Zoom from which the points carry their order number (smaller, the numbers would be unreadable). */
const NUMBERS_FROM_ZOOM = 2;

/** One value per superpixel spread over its pixels. */
export function perPixel(labels: Int32Array, values: Float32Array): Float32Array {
  const out = new Float32Array(labels.length);
  for (let p = 0; p < labels.length; p++) out[p] = values[labels[p]] ?? 0;
  return out;
}

/** The longest side of the points layer, drawn finer than the working copy when zoomed so numbers stay sharp. */
const MAX_LAYER_SIDE = 2048;

/**
 * The points as discs in their class's colour, on a layer `scale` times the working copy's size. `zoom` is the
 * viewer's zoom in half-octave steps: from NUMBERS_FROM_ZOOM on, discs shrink in photo pixels as it grows (so
 * they keep their size on screen) and carry their order number.
 */
function drawPoints(points: SampledPoint[], width: number, height: number, colours: string[], zoom: number): ImageData {
  const numbers = zoom >= NUMBERS_FROM_ZOOM;
  const scale = numbers ? Math.max(1, Math.min(Math.ceil(zoom), Math.floor(MAX_LAYER_SIDE / Math.max(width, height)))) : 1;
  const canvas = new OffscreenCanvas(width * scale, height * scale);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(scale, scale);
  const r = Math.max(2.5, Math.max(width, height) / 110) * Math.min(1, NUMBERS_FROM_ZOOM / zoom);
  ctx.font = `bold ${(r * 1.2).toFixed(2)}px sans-serif`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  // Background first, so class points stay on top where they crowd.
  const ordered = [...points].sort((a, b) => Number(b.classIndex === SAMPLING_DEFAULTS.background) - Number(a.classIndex === SAMPLING_DEFAULTS.background));
  for (const p of ordered) {
    const background = p.classIndex === SAMPLING_DEFAULTS.background;
    ctx.beginPath();
    ctx.arc(p.x, p.y, r, 0, 2 * Math.PI);
    ctx.fillStyle = colours[p.classIndex] ?? '#ffffff';
    ctx.fill();
    // Background discs get a dark rim (and a light halo, so a black background class still shows on dark
    // regions); class discs a light rim.
    if (background) {
      ctx.lineWidth = r / 4;
      ctx.strokeStyle = 'rgba(255,255,255,0.8)';
      ctx.beginPath();
      ctx.arc(p.x, p.y, r + ctx.lineWidth, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.strokeStyle = '#111111';
    } else {
      ctx.lineWidth = r / 5;
      ctx.strokeStyle = '#ffffff';
    }
    ctx.beginPath();
    ctx.arc(p.x, p.y, r, 0, 2 * Math.PI);
    ctx.stroke();
    if (numbers) {
      ctx.lineWidth = r / 4;
      ctx.strokeStyle = '#000000';
      ctx.strokeText(String(p.order), p.x, p.y);
      ctx.fillStyle = '#ffffff';
      ctx.fillText(String(p.order), p.x, p.y);
    }
  }
  return ctx.getImageData(0, 0, canvas.width, canvas.height);
}

export function useSamplingLayers(): OverlayLayer[] {
  const photoId = useStudio((s) => s.activePhotoId);
  const superpixels = useStudio((s) => (s.activePhotoId ? s.superpixels[s.activePhotoId] : undefined));
  const seg = useStudio((s) => (s.activePhotoId ? s.segmentations[s.activePhotoId] : undefined));
  const showPoints = useStudio((s) => s.samplingView.points);
  const fetched = useStudio((s) => s.samplingMap);
  const labelSet = useStudio((s) => s.labelSet);
  // Half-octave steps, so the layer is redrawn a few times while zooming, not at every wheel tick.
  const zoom = useStudio((s) => (s.zoom < NUMBERS_FROM_ZOOM ? 1 : 2 ** (Math.round(Math.log2(s.zoom) * 2) / 2)));
  // Colours the canvas understands, whatever the label set stores.
  const colours = useMemo(() => labelSet.classes.map((c) => `rgb(${hexToRgb(c.color).join(',')})`), [labelSet]);

  const map = useMemo(() => {
    if (!superpixels || !fetched || fetched.photoId !== photoId || fetched.mapId !== superpixels.mapId) return undefined;
    return colorize(perPixel(superpixels.labels, fetched.values), superpixels.width, superpixels.height);
  }, [photoId, superpixels, fetched]);

  const points = useMemo(() => {
    if (!showPoints || !superpixels || !seg || seg.mapId !== superpixels.mapId || seg.points.length === 0) return undefined;
    return drawPoints(seg.points, superpixels.width, superpixels.height, colours, zoom);
  }, [showPoints, superpixels, seg, colours, zoom]);

  return useMemo(
    () => [
      ...(map ? [{ id: 'sampling-map', image: map, opacity: 0.75, smooth: false }] : []),
      ...(points ? [{ id: 'sampling-points', image: points, opacity: 1, smooth: true }] : []),
    ],
    [map, points],
  );
}
