// The depth preview (thesis §5.5; docs/depth.md): pseudo-colour depth of the active photo, near bright and far
// dark, with the range it spans in metres; from the image (the per-superpixel regression) or from the
// segmentation (the net trained on procedural rooms and streets, read through the depth classes: NYUv2's 13
// indoor, six outdoor). Below it, the user's own measured depth: the active photo's measurement scored against
// the model, and the model fine-tuned on them.
import { useEffect, useMemo, useRef, useState } from 'react';
import { segmentationDepthUnavailable } from '../core/depthClasses.ts';
import { commands } from '../state/commands.ts';
import { activeDepth, depthMs, depthPixels } from '../state/depthPixels.ts';
import type { DepthSource } from '../state/depthSlice.ts';
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
const MEASURED_COMMANDS = ['load-measured-depth', 'remove-measured-depth', 'finetune-depth', 'reset-depth-model'].map((id) => commands.find((c) => c.id === id)!);

export function DepthPanel() {
  const depth = useStudio(activeDepth);
  const viewOpen = useStudio((s) => s.depthView);
  const source = useStudio((s) => s.depthSource);
  const setSource = useStudio((s) => s.setDepthSource);
  const unavailable = useStudio((s) => (s.depthSource === 'segmentation' ? segmentationDepthUnavailable(s.labelSet) : undefined));
  const measured = useStudio((s) => (s.activePhotoId ? s.measuredDepth[s.activePhotoId] : undefined));
  // A view, not work: whether the canvas shows the user's measurement instead of the prediction.
  const [showMeasured, setShowMeasured] = useState(false);
  const canvas = useRef<HTMLCanvasElement>(null);
  const painted = useMemo(() => {
    if (showMeasured && measured) {
      const metres = new Float32Array(measured.millimetres.length);
      for (let i = 0; i < metres.length; i++) metres[i] = measured.millimetres[i] / 1000;
      return { width: measured.width, height: measured.height, metres };
    }
    return depth ? depthPixels(depth) : undefined;
  }, [depth, measured, showMeasured]);
  const [lo, hi] = useMemo(() => {
    if (!painted) return [0, 0];
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < painted.metres.length; i++) {
      const m = painted.metres[i];
      if (!(m > 0)) continue;
      min = Math.min(min, m);
      max = Math.max(max, m);
    }
    return [Math.log(min), Math.log(max)];
  }, [painted]);

  useEffect(() => {
    const c = canvas.current;
    if (!c || !painted) return;
    const { width, height } = painted;
    const span = hi - lo || 1;
    // A loop, not Float32Array.from with a mapping function (several times slower: issue 9's refresh budget).
    const nearness = new Float32Array(painted.metres.length);
    for (let i = 0; i < nearness.length; i++) {
      const m = painted.metres[i];
      nearness[i] = m > 0 ? (hi - Math.log(m)) / span : 0;
    }
    const image = colorize(nearness, width, height);
    // colorize fades weak values into the photo beneath; here nothing is beneath, so every pixel is opaque, and
    // pixels without a measurement are black.
    for (let i = 0; i < painted.metres.length; i++) {
      image.data[4 * i + 3] = 255;
      if (!(painted.metres[i] > 0)) image.data.fill(0, 4 * i, 4 * i + 3);
    }
    c.width = width;
    c.height = height;
    c.getContext('2d')?.putImageData(image, 0, 0);
  }, [painted, lo, hi]);

  return (
    <section className="panel depth-panel" aria-label="Depth" data-testid="depth-panel">
      <h2>Depth</h2>
      <label>
        From{' '}
        <select data-testid="depth-source" value={source} onChange={(e) => setSource(e.target.value as DepthSource)}>
          <option value="image">the image (zoom-out features)</option>
          <option value="segmentation">the segmentation (indoor or outdoor classes)</option>
        </select>
      </label>
      {!depth ? (
        <p className="muted" data-testid="depth-empty">
          {unavailable ?? (source === 'image' ? 'waiting for the active photo’s superpixels' : 'waiting for the active photo’s segmentation')}
        </p>
      ) : (
        <>
          <canvas ref={canvas} style={{ width: '100%' }} data-testid="depth-canvas" />
          <p className="muted" data-testid="depth-range">
            {Math.exp(lo).toFixed(1)}–{Math.exp(hi).toFixed(1)} m (bright: near) ·{' '}
            {showMeasured && measured
              ? `your measurement (${measured.name}; black: not measured)`
              : `${depthMs(depth).toFixed(0)} ms · ${depth.source === 'image' ? 'from the image, not the segmentation; scale as in NYUv2’s rooms' : 'from the segmentation alone (floor, walls, ground, sky, furniture, cars …); scale as in the procedural scenes it learnt from'}`}
          </p>
          {measured && (
            <label>
              <input type="checkbox" data-testid="depth-show-measured" checked={showMeasured} onChange={(e) => setShowMeasured(e.target.checked)} /> Show your measurement instead
            </label>
          )}
        </>
      )}
      <div className="row">
        {DEPTH_COMMANDS.map(({ command, label }) => (
          <CommandButton key={command.id} command={command}>
            {label}
          </CommandButton>
        ))}
      </div>
      <MeasuredDepth />
      {viewOpen && <DepthView3d />}
    </section>
  );
}

/** The active photo's measured depth, how the model in use does on it, and which model that is. */
function MeasuredDepth() {
  const measured = useStudio((s) => (s.activePhotoId ? s.measuredDepth[s.activePhotoId] : undefined));
  const check = useStudio((s) => (s.activePhotoId ? s.depthChecks[s.activePhotoId] : undefined));
  const count = useStudio((s) => s.photos.filter((p) => s.measuredDepth[p.id]).length);
  const tuned = useStudio((s) => s.tunedDepth);
  const tuning = useStudio((s) => s.depthTuning.running);
  const learntFrom = useStudio((s) => s.tunedDepth !== undefined && s.activePhotoId !== undefined && s.tunedDepth.photoIds.includes(s.activePhotoId));
  return (
    <div className="measured-depth" data-testid="measured-depth">
      <h3>Your measured depth</h3>
      <p className="muted" data-testid="measured-depth-status">
        {!measured
          ? 'none for this photo: load its depth map (16-bit PNG in mm, the photo’s size) or drop it as <photo>_depth.png'
          : `${measured.name}: ${check ? `${(100 * check.measured).toFixed(0)} % of pixels measured; the depth model on it (median-scaled): δ<1.25 ${check.metrics.delta1.toFixed(3)}, abs rel ${check.metrics.absRel.toFixed(3)}${learntFrom ? ' (it learnt from this photo)' : ''}` : 'scored once the photo is analysed'}`}
      </p>
      <p className="muted" data-testid="depth-model-status">
        {tuning
          ? 'fine-tuning…'
          : tuned
            ? `depth model: fine-tuned on ${tuned.photos.length} photo${tuned.photos.length === 1 ? '' : 's'} (${tuned.rows} superpixels, λ = ${tuned.lambda}, ${new Date(tuned.at).toLocaleString()})`
            : `depth model: the shipped one (NYUv2's 10 pairs)${count ? `; ${count} photo${count === 1 ? '' : 's'} measured` : ''}`}
      </p>
      <div className="row">
        {MEASURED_COMMANDS.map((command) => (
          <CommandButton key={command.id} command={command} />
        ))}
      </div>
    </div>
  );
}
