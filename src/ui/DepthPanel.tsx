// The depth preview (thesis §5.5; docs/depth.md): pseudo-colour depth of the active photo from the trained
// per-superpixel regression, near bright and far dark, with the range it spans in metres.
import { useEffect, useRef } from 'react';
import { commands } from '../state/commands.ts';
import { activeDepth, depthPixels } from '../state/depthPixels.ts';
import { useStudio } from '../state/studioStore.ts';
import { colorize } from './colormap.ts';
import { CommandButton } from './CommandButton.tsx';
import { DepthView3d } from './DepthView3d.tsx';

// The 3D view and the depth exports, the same registry commands as the toolbar's and the export menu's.
const DEPTH_COMMANDS = [
  ['depth-3d', '3D view…'],
  ['export-depth-photo', 'Export depth (16-bit PNG, mm)'],
  ['export-point-cloud-photo', 'Export point cloud (PLY)'],
].map(([id, label]) => ({ command: commands.find((c) => c.id === id)!, label }));

export function DepthPanel() {
  const depth = useStudio(activeDepth);
  const viewOpen = useStudio((s) => s.depthView);
  const canvas = useRef<HTMLCanvasElement>(null);
  const logs = depth?.result.logDepth;
  const lo = logs ? Math.min(...logs) : 0;
  const hi = logs ? Math.max(...logs) : 0;

  useEffect(() => {
    const c = canvas.current;
    if (!c || !depth) return;
    const { width, height } = depth.superpixels;
    const span = hi - lo || 1;
    const painted = depthPixels(depth);
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
      <div className="row">
        {DEPTH_COMMANDS.map(({ command, label }) => (
          <CommandButton key={command.id} command={command}>
            {label}
          </CommandButton>
        ))}
      </div>
      {viewOpen && <DepthView3d />}
    </section>
  );
}
