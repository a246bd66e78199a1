// The depth preview (thesis §5.5; docs/depth.md): pseudo-colour depth of the active photo from the trained
// per-superpixel regression, near bright and far dark, with the range it spans in metres.
import { useEffect, useRef } from 'react';
import { paintLogDepth } from '../core/superpixelDepth.ts';
import { useStudio } from '../state/studioStore.ts';
import { colorize } from './colormap.ts';

export function DepthPanel() {
  const depth = useStudio((s) => (s.depth && s.depth.photoId === s.activePhotoId && s.depth.superpixels === s.superpixels[s.activePhotoId ?? ''] ? s.depth : undefined));
  const canvas = useRef<HTMLCanvasElement>(null);
  const logs = depth?.result.logDepth;
  const lo = logs ? Math.min(...logs) : 0;
  const hi = logs ? Math.max(...logs) : 0;

  useEffect(() => {
    const c = canvas.current;
    if (!c || !depth) return;
    const { width, height } = depth.superpixels;
    const span = hi - lo || 1;
    const painted = paintLogDepth(depth.superpixels, depth.result.logDepth, depth.result.smoothing);
    const nearness = Float32Array.from(painted.metres, (m) => (hi - Math.log(m)) / span);
    const image = colorize(nearness, width, height);
    // colorize fades weak values into the photo beneath; here nothing is beneath, so every pixel is opaque.
    for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255;
    c.width = width;
    c.height = height;
    c.getContext('2d')?.putImageData(image, 0, 0);
  }, [depth, lo, hi]);

  return (
    <section className="panel depth-panel" aria-label="Depth" data-testid="depth-panel">
      <h2>Depth</h2>
      {!depth ? (
        <p className="muted" data-testid="depth-empty">
          waiting for the active photo’s superpixels
        </p>
      ) : (
        <>
          <canvas ref={canvas} style={{ width: '100%' }} data-testid="depth-canvas" />
          <p className="muted" data-testid="depth-range">
            {Math.exp(lo).toFixed(1)}–{Math.exp(hi).toFixed(1)} m (bright: near) · {depth.result.ms.toFixed(0)} ms · from the image, not the segmentation; scale as in NYUv2’s rooms
          </p>
        </>
      )}
    </section>
  );
}
