// The photo canvas: zoom (wheel, toolbar, keys) and pan (drag), with the selected heatmap over the photo.
import { useShallow } from 'zustand/react/shallow';
import { useEffect, useRef, useState } from 'react';
import { activePhoto, useStudio } from '../state/studioStore.ts';
import { useOverlayLayers, type OverlayLayer } from './overlayLayers.ts';
import { imageTools, type ImagePoint } from './imageTools.ts';

/**
 * Each overlay image on a canvas of its own, its pixels put once: synchronous, so new labels are drawn in the
 * render that brings them (createImageBitmap of every layer after each stroke cost ~30 ms and a second
 * render), and a layer whose image did not change is not copied again.
 */
const layerCanvases = new WeakMap<ImageData, HTMLCanvasElement>();

function layerCanvas(image: ImageData): HTMLCanvasElement {
  let canvas = layerCanvases.get(image);
  if (!canvas) {
    canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    canvas.getContext('2d', { willReadFrequently: true })!.putImageData(image, 0, 0);
    layerCanvases.set(image, canvas);
  }
  return canvas;
}

function useBitmap(image: ImageData | undefined): ImageBitmap | undefined {
  const [made, setMade] = useState<{ source: ImageData; bitmap: ImageBitmap }>();
  useEffect(() => {
    if (!image) return;
    let live = true;
    let bitmap: ImageBitmap | undefined;
    void createImageBitmap(image).then((b) => {
      bitmap = b;
      if (live) setMade({ source: image, bitmap: b });
      else b.close();
    });
    return () => {
      live = false;
      bitmap?.close();
    };
  }, [image]);
  // A closed bitmap reads 0×0: the photo went away and came back (a close undone, a quick switch back) before
  // its new bitmap was made; drawing the closed one would throw.
  return made && made.source === image && made.bitmap.width > 0 ? made.bitmap : undefined;
}

function drawLayer(ctx: CanvasRenderingContext2D, layer: OverlayLayer, source: CanvasImageSource, x: number, y: number, w: number, h: number): void {
  ctx.globalAlpha = layer.opacity;
  ctx.imageSmoothingEnabled = layer.smooth;
  ctx.drawImage(source, x, y, w, h);
  ctx.globalAlpha = 1;
}

export function fitScale(viewW: number, viewH: number, imgW: number, imgH: number): number {
  return Math.min(viewW / imgW, viewH / imgH) * 0.95;
}

export function Viewer() {
  const photo = useStudio(activePhoto);
  const { zoom, pan, setView, tool, brushRadius } = useStudio(useShallow((s) => ({ zoom: s.zoom, pan: s.pan, setView: s.setView, tool: s.tool, brushRadius: s.brushRadius })));
  const activeTool = tool === 'pan' ? undefined : imageTools[tool];
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [size, setSize] = useState({ w: 800, h: 600 });
  const photoBitmap = useBitmap(photo?.working);
  const layers = useOverlayLayers();
  const drag = useRef<{ x: number; y: number; pan: { x: number; y: number } } | null>(null);
  const drawnLayers = useRef(new WeakSet<ImageData>());
  const drawnPhoto = useRef<ImageBitmap>(undefined);
  const painting = useRef(false);
  // The brush's footprint follows the pointer: moved by hand (no render per pointer move), sized on render.
  const brushCursor = useRef<HTMLDivElement>(null);
  const cursorRadius = photo && activeTool ? Math.max(1, brushRadius * fitScale(size.w, size.h, photo.working.width, photo.working.height) * zoom) : 0;
  function moveBrushCursor(e: { clientX: number; clientY: number; currentTarget: Element } | null): void {
    const el = brushCursor.current;
    if (!el) return;
    el.style.display = e ? 'block' : 'none';
    if (!e) return;
    const rect = e.currentTarget.getBoundingClientRect();
    el.style.transform = `translate(${e.clientX - rect.left}px, ${e.clientY - rect.top}px)`;
  }

  /** Pointer position in working-copy pixels of the photo. */
  function toImage(e: { clientX: number; clientY: number; currentTarget: Element }): ImagePoint {
    const rect = e.currentTarget.getBoundingClientRect();
    const { width: iw, height: ih } = photo!.working;
    const s = fitScale(size.w, size.h, iw, ih) * zoom;
    const x0 = size.w / 2 + pan.x - (iw * s) / 2;
    const y0 = size.h / 2 + pan.y - (ih * s) / 2;
    return { x: (e.clientX - rect.left - x0) / s, y: (e.clientY - rect.top - y0) / s };
  }

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ro = new ResizeObserver(([entry]) => setSize({ w: Math.max(1, entry.contentRect.width), h: Math.max(1, entry.contentRect.height) }));
    ro.observe(canvas.parentElement!);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(size.w * dpr);
    canvas.height = Math.round(size.h * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size.w, size.h);
    if (!photo || !photoBitmap) return;
    const { width: iw, height: ih } = photo.working;
    const s = fitScale(size.w, size.h, iw, ih) * zoom;
    const x = size.w / 2 + pan.x - (iw * s) / 2;
    const y = size.h / 2 + pan.y - (ih * s) / 2;
    ctx.imageSmoothingEnabled = s < 2;
    ctx.drawImage(photoBitmap, x, y, iw * s, ih * s);
    if (drawnPhoto.current !== photoBitmap) {
      drawnPhoto.current = photoBitmap;
      performance.mark('zoomout:painted:photo');
    }
    for (const layer of layers) {
      drawLayer(ctx, layer, layerCanvas(layer.image), x, y, iw * s, ih * s);
      // The moment new pixels of a layer reach the screen, for `npm run bench:studio` (edit → labels painted).
      if (!drawnLayers.current.has(layer.image)) {
        drawnLayers.current.add(layer.image);
        performance.mark(`zoomout:painted:${layer.id}`);
      }
    }
  }, [photo, photoBitmap, layers, zoom, pan, size]);

  return (
    <div className="viewer">
      <canvas
        ref={canvasRef}
        data-testid="viewer-canvas"
        style={{ width: size.w, height: size.h, cursor: activeTool?.cursor ?? 'grab' }}
        onWheel={(e) => {
          if (!photo) return;
          const rect = e.currentTarget.getBoundingClientRect();
          const factor = Math.exp(-e.deltaY * 0.0015);
          // Keep the point under the cursor fixed while zooming.
          const cx = e.clientX - rect.left - size.w / 2;
          const cy = e.clientY - rect.top - size.h / 2;
          setView(zoom * factor, { x: cx - (cx - pan.x) * factor, y: cy - (cy - pan.y) * factor });
        }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          // Middle or right drag always pans, so a tool never traps the view.
          if (photo && activeTool && e.button === 0) {
            painting.current = true;
            activeTool.down(toImage(e));
          } else drag.current = { x: e.clientX, y: e.clientY, pan };
        }}
        onPointerMove={(e) => {
          moveBrushCursor(e);
          const d = drag.current;
          if (d) setView(zoom, { x: d.pan.x + e.clientX - d.x, y: d.pan.y + e.clientY - d.y });
          else if (painting.current) activeTool?.move(toImage(e));
        }}
        onPointerUp={() => {
          drag.current = null;
          if (painting.current) activeTool?.up();
          painting.current = false;
        }}
        onPointerLeave={() => moveBrushCursor(null)}
        onContextMenu={(e) => e.preventDefault()}
      />
      {cursorRadius > 0 && (
        <div ref={brushCursor} className="brush-cursor" data-testid="brush-cursor" style={{ width: cursorRadius * 2, height: cursorRadius * 2, margin: -cursorRadius, display: 'none' }} />
      )}
      {!photo && (
        <div className="empty-hint" data-testid="empty-hint">
          Drop photos here, paste one, open a file (O) or try a sample.
        </div>
      )}
    </div>
  );
}
