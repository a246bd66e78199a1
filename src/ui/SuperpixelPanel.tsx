// Superpixels of the active photo: SLIC parameters with live recomputation, the rectangle baseline of thesis
// Table 3.3, overlays, and — with a ground truth loaded — the oracle mIoU these regions allow.
import { SUPERPIXEL_OVERLAY_STYLES, sameParams, type SuperpixelOverlayStyle } from '../state/superpixelSlice.ts';
import { useShallow } from 'zustand/react/shallow';
import { activePhoto, useStudio } from '../state/studioStore.ts';

export function SuperpixelPanel() {
  const photo = useStudio(activePhoto);
  const classNames = useStudio(useShallow((s) => s.labelSet.classes.map((c) => c.name)));
  const params = useStudio((s) => s.superpixelParams);
  const setParams = useStudio((s) => s.setSuperpixelParams);
  const overlay = useStudio((s) => s.superpixelOverlay);
  const setOverlay = useStudio((s) => s.setSuperpixelOverlay);
  const opacity = useStudio((s) => s.superpixelOpacity);
  const setOpacity = useStudio((s) => s.setSuperpixelOpacity);
  const result = useStudio((s) => (s.activePhotoId ? s.superpixels[s.activePhotoId] : undefined));
  const truth = useStudio((s) => (s.activePhotoId ? s.groundTruth[s.activePhotoId] : undefined));
  const showTruth = useStudio((s) => s.showGroundTruth);
  const setShowTruth = useStudio((s) => s.setShowGroundTruth);

  const oracle = useStudio((s) => (s.oracle && s.oracle.superpixels === result && s.oracle.truth === truth ? s.oracle.result : undefined));
  const updating = !!photo?.analysis && (!result || !sameParams(result, params));

  return (
    <section className="panel superpixel-panel" aria-label="Superpixels">
      <h2>Superpixels</h2>
      <div className="segmented" role="group" aria-label="Region type">
        <button className={params.mode === 'slic' ? 'active' : ''} data-testid="sp-mode-slic" onClick={() => setParams({ mode: 'slic' })}>
          SLIC
        </button>
        <button className={params.mode === 'rectangles' ? 'active' : ''} data-testid="sp-mode-rectangles" onClick={() => setParams({ mode: 'rectangles' })}>
          rectangles
        </button>
      </div>
      <label>
        k <output data-testid="sp-k-value">{params.k}</output>
        <input type="range" data-testid="sp-k" min={50} max={2000} step={10} value={params.k} onChange={(e) => setParams({ k: Number(e.target.value) })} />
      </label>
      <label title="Compactness m: higher gives rounder regions, lower follows colour edges more closely">
        m <output data-testid="sp-m-value">{params.m}</output>
        <input
          type="range"
          data-testid="sp-m"
          min={1}
          max={40}
          step={1}
          value={params.m}
          disabled={params.mode !== 'slic'}
          onChange={(e) => setParams({ m: Number(e.target.value) })}
        />
      </label>
      <label>
        Overlay{' '}
        <select data-testid="sp-overlay" value={overlay} onChange={(e) => setOverlay(e.target.value as SuperpixelOverlayStyle)}>
          {SUPERPIXEL_OVERLAY_STYLES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Opacity <input type="range" data-testid="sp-opacity" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} />
      </label>

      {!photo?.analysis && <p className="muted">Superpixels appear once a photo is analysed.</p>}
      {result && (
        <dl className="facts" aria-busy={updating}>
          <dt>Regions</dt>
          <dd data-testid="sp-count">{result.count}</dd>
          <dt>Time</dt>
          <dd data-testid="sp-ms">{result.ms.toFixed(1)} ms</dd>
          <dt>Engine</dt>
          <dd data-testid="sp-engine">{result.mode === 'slic' ? result.engine : '—'}</dd>
          <dt>On</dt>
          <dd data-testid="sp-params">
            {result.width}×{result.height} · {result.mode === 'slic' ? `SLIC k=${result.k} m=${result.m}` : 'rectangles'}
            {updating && <span className="muted"> · updating…</span>}
          </dd>
        </dl>
      )}

      <h3>Ground truth</h3>
      {!truth && <p className="muted">Load a class-index PNG (VOC palette or grayscale, 255 = ignore) of the photo's original size, or drop one on the photo.</p>}
      {truth && (
        <>
          <dl className="facts">
            <dt>Mask</dt>
            <dd>{truth.name}</dd>
            <dt>Classes</dt>
            <dd data-testid="gt-classes">{truth.present.map((c) => classNames[c] ?? c).join(', ')}</dd>
            {oracle && (
              <>
                <dt title="mIoU when each superpixel takes its majority ground-truth class (thesis: 94.4 on VOC val with SLIC-500)">Oracle mIoU</dt>
                <dd data-testid="sp-oracle">{(oracle.miou * 100).toFixed(1)}</dd>
                <dt>Pixel acc.</dt>
                <dd>{(oracle.pixelAccuracy * 100).toFixed(1)}</dd>
              </>
            )}
          </dl>
          <label>
            <input type="checkbox" data-testid="gt-toggle" checked={showTruth} onChange={(e) => setShowTruth(e.target.checked)} /> Show ground truth
          </label>
        </>
      )}
    </section>
  );
}
