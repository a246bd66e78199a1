// Thesis §3.4.3, Table 3.4 for the user's photos: mIoU of a head trained on each cumulative zoom-out level set,
// next to the thesis's VOC 2012 val numbers where the sets match, and the superpixel oracle as the ceiling.
import { commands } from '../state/commands.ts';
import { ablationPhotoIds } from '../state/ablationSlice.ts';
import { useStudio } from '../state/studioStore.ts';
import { CommandButton } from './CommandButton.tsx';

const ablationCommand = commands.find((c) => c.id === 'ablation')!;

/** Table 3.4's linear-head mIoU (VOC 2012 val) for the sets the studio also has; G1..G5 are L1..L5 here. */
const THESIS_MIOU: Record<string, number> = {
  L1: 6.0,
  'L1,L2': 10.1,
  'L1,L2,L3': 16.3,
  'L1,L2,L3,L4': 26.3,
  'L1,L2,L3,L4,L5': 41.8,
};

const percent = (v: number) => (Number.isFinite(v) ? (v * 100).toFixed(1) : '—');

export function AblationPanel() {
  const hasTruth = useStudio((s) => !!s.activePhotoId && !!s.groundTruth[s.activePhotoId]);
  const scorable = useStudio((s) => ablationPhotoIds(s).length);
  const { running, progress, fraction, result, error } = useStudio((s) => s.ablation);
  const cancel = useStudio((s) => s.cancelAblation);
  if (!hasTruth) return null;

  return (
    <section className="panel" aria-label="Ablation" data-testid="ablation-panel">
      <h2>Ablation</h2>
      <p className="muted">
        Trains one head per level set on your strokes on the {scorable} photo{scorable === 1 ? '' : 's'} with ground truth and scores it against that ground truth (thesis Table 3.4).
      </p>
      <div className="row">
        <CommandButton command={ablationCommand}>Run</CommandButton>
        {running && (
          <button data-testid="ablation-cancel" onClick={cancel}>
            Cancel
          </button>
        )}
      </div>
      {running && (
        <p className="muted" data-testid="ablation-status">
          <progress value={fraction ?? 0} max={1} /> {progress}
        </p>
      )}
      {error && (
        <p className="error" data-testid="ablation-error">
          {error}
        </p>
      )}
      {result && (
        <>
          <table data-testid="ablation-table" data-tensors={result.numTensors} style={{ width: '100%', borderCollapse: 'collapse' }}>
            <thead>
              <tr>
                <th style={{ textAlign: 'left' }}>Feature set</th>
                <th style={{ textAlign: 'right' }}>mIoU</th>
                <th style={{ textAlign: 'right' }} title="Thesis Table 3.4, linear head, VOC 2012 val">thesis</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.label} data-testid="ablation-row" title={`trained in ${r.trainMs.toFixed(0)} ms`}>
                  <td>{r.label}</td>
                  <td style={{ textAlign: 'right' }} data-testid="ablation-miou">
                    {percent(r.miou)}
                  </td>
                  <td style={{ textAlign: 'right' }} className="muted">
                    {THESIS_MIOU[r.levels.join(',')]?.toFixed(1) ?? (r.levels.length === 8 ? '58.6' : '')}
                  </td>
                </tr>
              ))}
              <tr data-testid="ablation-oracle" title="Each superpixel labelled with its majority ground-truth class: no superpixel classifier can do better">
                <td>
                  <em>oracle (ceiling)</em>
                </td>
                <td style={{ textAlign: 'right' }} data-testid="ablation-oracle-miou">
                  {percent(result.oracle)}
                </td>
                <td style={{ textAlign: 'right' }} className="muted">
                  94.4
                </td>
              </tr>
            </tbody>
          </table>
          <p className="muted" data-testid="ablation-summary">
            {result.labelled} superpixels labelled by your strokes on {result.photos} photo{result.photos === 1 ? '' : 's'}
          </p>
        </>
      )}
    </section>
  );
}
