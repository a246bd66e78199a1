// The overlay with the 3D view of the active photo's predicted depth (thesis §5.5; docs/depth.md): a grid of at
// most 200k back-projected points, rebuilt (and the previous one's GPU resources freed) whenever the depth or
// the photo changes, and freed when the overlay closes. Without WebGL 2 it says so and nothing else breaks.
import { useEffect, useMemo, useRef, useState } from 'react';
import { ASSUMED_HORIZONTAL_FOV_DEGREES, backProject, gridStep, pinholeCamera, type PointCloud } from '../core/pinholeCamera.ts';
import { activeDepth, depthPixels } from '../state/depthPixels.ts';
import { useStudio } from '../state/studioStore.ts';
import { showPointCloud, webglUnavailableReason, type PointCloudView } from './pointCloudView.ts';

const MAX_POINTS = 200_000;

export function DepthView3d() {
  const depth = useStudio(activeDepth);
  // The pixels and the name, not the photo record, which is replaced on every status change of the photo.
  const working = useStudio((s) => s.photos.find((p) => p.id === depth?.photoId)?.working);
  const name = useStudio((s) => s.photos.find((p) => p.id === depth?.photoId)?.name);
  const close = useStudio((s) => s.setDepthView);
  const container = useRef<HTMLDivElement>(null);
  const [unavailable] = useState(webglUnavailableReason);
  // A failure names the cloud it happened to, so a new photo's view starts without the old one's message.
  const [failure, setFailure] = useState<{ cloud: PointCloud; message: string }>();

  useEffect(() => {
    // Capture on window runs before the studio's shortcut listener: Escape closes the view and stops nothing else.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopPropagation();
      close(false);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [close]);

  const shown = useMemo(() => {
    if (!depth || !working) return undefined;
    const map = depthPixels(depth);
    const camera = pinholeCamera(map.width, map.height);
    const step = gridStep(map.width, map.height, MAX_POINTS);
    const cloud = backProject(map, working.data, camera, step);
    const summary = `${cloud.count.toLocaleString('en')} points (${step === 1 ? 'every pixel' : `one pixel in ${step}×${step}`} of ${map.width}×${map.height})`;
    return { map, camera, cloud, summary };
  }, [depth, working]);

  useEffect(() => {
    const box = container.current;
    if (!box || !shown || unavailable) return;
    const { cloud, camera, map } = shown;
    const fail = (message: string) => setFailure({ cloud, message });
    let view: PointCloudView;
    try {
      view = showPointCloud(box, cloud, camera, map, () => fail('The GPU dropped the 3D view’s WebGL context: close and reopen it.'));
    } catch (err) {
      fail(`No 3D view: WebGL failed to start (${(err as Error).message}). The depth exports still work.`);
      return;
    }
    return () => view.dispose();
  }, [shown, unavailable]);

  const problem = unavailable ? `No 3D view: ${unavailable}. The depth exports still work.` : failure && failure.cloud === shown?.cloud ? failure.message : undefined;

  return (
    <div className="depth-3d-backdrop">
      <div className="depth-3d" role="dialog" aria-modal="true" aria-labelledby="depth-3d-title" data-testid="depth-3d">
        <div className="help-head">
          <h2 id="depth-3d-title">3D view{name ? ` — ${name}` : ''}</h2>
          <button type="button" onClick={() => close(false)} data-testid="depth-3d-close" aria-label="Close the 3D view">
            ×
          </button>
        </div>
        <p className="muted">
          Drag to orbit, right-drag or Shift+drag to pan, wheel to zoom. Pinhole camera with an assumed {ASSUMED_HORIZONTAL_FOV_DEGREES}° horizontal field of view (NYUv2’s Kinect: about 58°);
          metres at the scale of NYUv2’s rooms. {shown && <span data-testid="depth-3d-summary">{shown.summary}</span>}
        </p>
        {!depth && <p className="muted">waiting for the active photo’s depth</p>}
        {problem && (
          <p role="alert" data-testid="depth-3d-problem">
            {problem}
          </p>
        )}
        <div ref={container} className="depth-3d-view" />
      </div>
    </div>
  );
}
