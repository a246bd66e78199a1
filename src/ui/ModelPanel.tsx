// What the backbone sees: load progress, backend, input size and forward time, any tap's channel mean and
// the COCO class heatmaps with the photo's top classes.
import { BACKENDS, type BackendPreference } from '../ml/backendNames.ts';
import { useShallow } from 'zustand/react/shallow';
import { activePhoto, useStudio } from '../state/studioStore.ts';
import { INPUT_SIDES } from '../state/modelSettings.ts';
import { commands } from '../state/commands.ts';
import { CommandButton } from './CommandButton.tsx';

const loadCommand = commands.find((c) => c.id === 'load-model')!;

const TOP_CLASSES = 5;

export function ModelPanel() {
  const { model, backendPreference, loadModel, heatmap, setHeatmap, heatmapOpacity, setHeatmapOpacity, benchmark, runBenchmark, inputLongSide, setInputLongSide } = useStudio(
    useShallow((s) => ({ model: s.model, backendPreference: s.backendPreference, loadModel: s.loadModel, heatmap: s.heatmap, setHeatmap: s.setHeatmap, heatmapOpacity: s.heatmapOpacity, setHeatmapOpacity: s.setHeatmapOpacity, benchmark: s.benchmark, runBenchmark: s.runBenchmark, inputLongSide: s.inputLongSide, setInputLongSide: s.setInputLongSide })),
  );
  const photo = useStudio(activePhoto);
  const models = useStudio((s) => s.models);
  const classes = model.info?.classes ?? [];
  const scores = photo?.analysis?.classScores;
  const top = scores ? [...scores].map((score, index) => ({ score, index })).sort((a, b) => b.score - a.score).slice(0, TOP_CLASSES) : [];
  const selected = heatmap.kind === 'none' ? 'none' : `${heatmap.kind}:${heatmap.index}`;

  return (
    <section className="panel" aria-label="Model">
      <h2>Model</h2>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="model-status">
          {model.status === 'loading' ? `${model.progress?.message ?? 'loading'}${model.progress?.fraction !== undefined ? ` ${Math.round(model.progress.fraction * 100)}%` : ''}` : model.status}
        </dd>
        <dt>Backend</dt>
        <dd data-testid="backend-name">{model.backend?.name ?? '—'}</dd>
        {model.backend?.device && (
          <>
            <dt>Device</dt>
            <dd>{model.backend.device}</dd>
          </>
        )}
        {photo?.analysis && (
          <>
            <dt>Input</dt>
            <dd data-testid="input-size">
              {photo.analysis.inputSize.width}×{photo.analysis.inputSize.height}
            </dd>
            <dt>Forward</dt>
            <dd data-testid="forward-ms">{photo.analysis.forwardMs.toFixed(0)} ms</dd>
          </>
        )}
      </dl>
      {model.error && <p className="error">{model.error}</p>}
      {(model.status === 'idle' || model.status === 'error') && <CommandButton command={loadCommand} />}
      <ul className="model-list" aria-label="Models" data-testid="model-list">
        {models.map((m) => (
          <li key={m.id} data-testid={`model-${m.id}`}>
            <span className="name">{m.name}</span>{' '}
            <span className="muted">
              {m.state === 'loading' ? `loading ${Math.round((m.fraction ?? 0) * 100)}%` : m.state}
              {m.bytes !== undefined && ` · ${(m.bytes / 2 ** 20).toFixed(1)} MiB`}
            </span>
            {m.error && <span className="error"> {m.error}</span>}
          </li>
        ))}
      </ul>
      {model.backend && model.backend.skipped.length > 0 && (
        <details>
          <summary>Why not a faster backend?</summary>
          <ul>
            {model.backend.skipped.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ul>
        </details>
      )}
      <label>
        Backend{' '}
        <select data-testid="backend-select" value={backendPreference} onChange={(e) => void loadModel(e.target.value as BackendPreference)}>
          <option value="auto">auto</option>
          {BACKENDS.map((b) => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </select>
      </label>
      <label>
        Input side{' '}
        <select data-testid="input-side" value={inputLongSide} onChange={(e) => void setInputLongSide(Number(e.target.value))}>
          {[...new Set([...INPUT_SIDES, inputLongSide])].sort((a, b) => a - b).map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <button data-testid="run-benchmark" disabled={model.status !== 'ready' || benchmark?.running} onClick={() => void runBenchmark()}>
        {benchmark?.running ? 'Benchmarking…' : 'Benchmark backend'}
      </button>
      {benchmark?.timings && (
        <table className="bench" data-testid="benchmark-result">
          <tbody>
            {benchmark.timings.map((t) => (
              <tr key={`${t.width}x${t.height}`} data-size={`${t.width}x${t.height}`} data-ms={t.medianMs.toFixed(1)}>
                <td>
                  {benchmark.backend} {t.width}×{t.height}
                </td>
                <td>{t.medianMs.toFixed(0)} ms</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>Heatmap</h3>
      <select
        data-testid="heatmap-select"
        aria-label="Heatmap"
        value={selected}
        disabled={!photo?.analysis}
        onChange={(e) => {
          const [kind, index] = e.target.value.split(':');
          void setHeatmap(kind === 'none' ? { kind: 'none' } : { kind: kind as 'tap' | 'class', index: Number(index) });
        }}
      >
        <option value="none">none</option>
        <optgroup label="Taps (channel mean)">
          {model.info?.taps.map((t, i) => (
            <option key={t.node} value={`tap:${i}`}>
              {t.level} · stride {t.stride} · {t.channels} ch
            </option>
          ))}
        </optgroup>
        <optgroup label="COCO classes">
          {classes.map((c, i) => (
            <option key={c} value={`class:${i}`}>
              {c}
            </option>
          ))}
        </optgroup>
      </select>
      <label>
        Opacity <input type="range" min={0} max={1} step={0.05} value={heatmapOpacity} onChange={(e) => setHeatmapOpacity(Number(e.target.value))} />
      </label>

      {top.length > 0 && (
        <>
          <h3>Top classes</h3>
          <ol className="top-classes" data-testid="top-classes">
            {top.map(({ score, index }) => (
              <li key={index}>
                <button className="link" onClick={() => void setHeatmap({ kind: 'class', index })}>
                  {classes[index]}
                </button>{' '}
                <span className="score">{score.toFixed(2)}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
