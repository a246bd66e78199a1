// Labelling: the classes (presets, legend, rename, recolour), the brush tools, per-level toggles, the head,
// live training status with its loss curve, and the segmentation view.
import { useRef, useState, type ChangeEvent } from 'react';
import { ERASE } from '../core/strokes.ts';
import { commands } from '../state/commands.ts';
import type { LabelPreset } from '../state/labelSlice.ts';
import type { SegmentationView } from '../state/segmentationSlice.ts';
import { useShallow } from 'zustand/react/shallow';
import { activePhoto, useStudio, type StudioState } from '../state/studioStore.ts';
import type { HeadMode } from '../ml/headIO.ts';
import type { HeadKind } from '../worker/segmentationProtocol.ts';
import { CommandButton } from './CommandButton.tsx';
import { currentRefinement } from '../state/crfSlice.ts';
import { LossCurve } from './LossCurve.tsx';
import { FinetuneControls } from './FinetuneControls.tsx';

/** How many classes the strokes of the open photos paint (the eraser not counted), capped at 2. */
function paintedClassCount(st: StudioState): number {
  const seen = new Set<number>();
  for (const p of st.photos) {
    for (const stroke of st.strokes[p.id] ?? []) {
      if (stroke.classIndex === ERASE) continue;
      seen.add(stroke.classIndex);
      if (seen.size > 1) return 2;
    }
  }
  return seen.size;
}

/**
 * A class's name in the legend: a click picks the class to paint; a double-click (or F2) renames it in place,
 * as in CVAT and Label Studio. Enter or leaving the field commits the new name (one undoable edit), Escape
 * cancels.
 */
function ClassName({ index, name, onPick, onRename }: { index: number; name: string; onPick: () => void; onRename: (n: string) => void }) {
  const [draft, setDraft] = useState<string>();
  const cancelled = useRef(false);
  const startEditing = () => {
    cancelled.current = false;
    setDraft(name);
  };
  if (draft === undefined)
    return (
      <button
        className="class-name"
        style={{ textAlign: 'left', padding: '0 2px' }}
        title="click: paint with this class · double-click: rename"
        data-testid={`class-name-${index}`}
        onClick={onPick}
        onDoubleClick={startEditing}
        onKeyDown={(e) => {
          if (e.key === 'F2') {
            e.preventDefault();
            startEditing();
          }
        }}
      >
        {name}
      </button>
    );
  return (
    <input
      className="class-name"
      value={draft}
      aria-label={`rename class ${index}`}
      data-testid="class-rename"
      autoFocus
      onFocus={(e) => e.target.select()}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={() => {
        const next = draft.trim();
        if (!cancelled.current && next && next !== name) onRename(next);
        setDraft(undefined);
      }}
      onKeyDown={(e) => {
        // Handled here, so the studio's shortcuts leave these keys alone (Escape would otherwise stop training).
        if (e.key === 'Enter' || e.key === 'Escape') {
          e.preventDefault();
          cancelled.current = e.key === 'Escape';
          e.currentTarget.blur();
        }
      }}
    />
  );
}

/** Applies the choice, then leaves the dropdown, so later keys are shortcuts again, not its type-ahead ('m' would pick MLP). */
function chooseThenBlur<T extends string>(apply: (value: T) => void) {
  return (e: ChangeEvent<HTMLSelectElement>) => {
    apply(e.target.value as T);
    e.currentTarget.blur();
  };
}

export function SegmentationPanel() {
  const s = useStudio(
    useShallow((st) => ({ activeClass: st.activeClass, addClass: st.addClass, applyPreset: st.applyPreset, brushRadius: st.brushRadius, headKind: st.headKind, labelSet: st.labelSet, segmentationOpacity: st.segmentationOpacity, segmentationView: st.segmentationView, segmentations: st.segmentations, setActiveClass: st.setActiveClass, setBrushRadius: st.setBrushRadius, setHeadKind: st.setHeadKind, segmentationMode: st.segmentationMode, setSegmentationMode: st.setSegmentationMode, setSegmentationOpacity: st.setSegmentationOpacity, setSegmentationView: st.setSegmentationView, updateClass: st.updateClass, training: st.training })),
  );
  const photo = useStudio(activePhoto);
  const oneClass = useStudio((st) => paintedClassCount(st) === 1);
  const seg = photo ? s.segmentations[photo.id] : undefined;
  // Labels that come from the sampled points alone (thesis ch. 4): nothing of the user's on this photo yet.
  const suggestedOnly = useStudio((st) => !!seg && seg.points.length > 0 && (st.strokes[seg.photoId]?.length ?? 0) === 0);
  const { training } = s;
  const crf = useStudio((st) => st.crf);
  const refinement = useStudio((st) => (photo ? currentRefinement(st, photo.id) : undefined));

  return (
    <section className="panel" aria-label="Segmentation">
      <h2>Segmentation</h2>
      <div className="row">
        {commands
          .filter((c) => c.group === 'tool')
          .map((c) => (
            <CommandButton key={c.id} command={c} />
          ))}
      </div>
      <label>
        Brush {s.brushRadius}px{' '}
        <input data-testid="brush-radius" type="range" min={0} max={60} value={s.brushRadius} onChange={(e) => s.setBrushRadius(Number(e.target.value))} />
      </label>

      <h3>Classes</h3>
      <label>
        Preset{' '}
        <select
          data-testid="label-preset"
          value=""
          onChange={(e) => {
            const preset = e.target.value as LabelPreset | '';
            // Leave the dropdown, so later keys are shortcuts again, not its type-ahead (which would switch again).
            e.currentTarget.blur();
            if (preset) s.applyPreset(preset);
          }}
        >
          <option value="">{s.labelSet.id === 'custom' ? 'custom' : s.labelSet.id.toUpperCase()} — switch to…</option>
          <option value="voc">PASCAL VOC (21)</option>
          <option value="coco">COCO (80 + background)</option>
          <option value="nyu">Indoor, NYUv2 (13 + background)</option>
          <option value="outdoor">Outdoor layout (6 + background)</option>
        </select>
      </label>
      <ul className="legend" data-testid="legend">
        {s.labelSet.classes.map((c, i) => (
          <li key={i} className={i === s.activeClass ? 'active' : undefined} data-testid="legend-class" data-class={c.name}>
            <input type="color" value={c.color} aria-label={`colour of ${c.name}`} onChange={(e) => s.updateClass(i, { color: e.target.value })} />
            <button className="link" onClick={() => s.setActiveClass(i)} aria-pressed={i === s.activeClass} data-testid={`class-${i}`}>
              {i}
            </button>
            <ClassName index={i} name={c.name} onPick={() => s.setActiveClass(i)} onRename={(name) => s.updateClass(i, { name })} />
          </li>
        ))}
      </ul>
      <button data-testid="add-class" onClick={() => s.addClass()}>
        Add class
      </button>

      <h3>Levels</h3>
      <div className="row" data-testid="levels">
        {commands
          .filter((c) => c.group === 'level')
          .map((c) => (
            <CommandButton key={c.id} command={c} />
          ))}
      </div>
      <label>
        Head{' '}
        <select data-testid="head-kind" value={s.headKind} onChange={chooseThenBlur<HeadKind>(s.setHeadKind)}>
          <option value="linear">linear softmax</option>
          <option value="mlp">MLP (1 hidden layer, dropout)</option>
        </select>
      </label>
      <label>
        Labels{' '}
        <select data-testid="segmentation-mode" value={s.segmentationMode} onChange={chooseThenBlur<HeadMode>(s.setSegmentationMode)}>
          <option value="superpixel">per superpixel</option>
          <option value="pixel">per pixel (stride-4 hypercolumns)</option>
        </select>
      </label>
      {s.segmentationMode === 'pixel' && <FinetuneControls />}

      <h3>Training</h3>
      <p data-testid="training-status" className={training.error ? 'error' : 'muted'}>
        {training.error ?? (training.running ? (training.progress ?? 'training') : training.timings ? 'up to date' : 'paint a few strokes to start')}
      </p>
      {oneClass && (
        <p role="status" data-testid="one-class-hint" style={{ color: 'var(--accent)', margin: '4px 0' }}>
          Paint a second class (e.g. background) so the model can tell them apart
        </p>
      )}
      <LossCurve losses={training.losses} />
      {training.timings && (
        <p className="muted" data-testid="training-timings">
          updated in {training.updateMs?.toFixed(0)} ms: features {training.timings.featuresMs.toFixed(0)} ms · training {training.timings.trainMs.toFixed(0)} ms · prediction{' '}
          {training.timings.predictMs.toFixed(0)} ms
        </p>
      )}
      {training.notTrained && training.notTrained.length > 0 && (
        <p role="status" data-testid="pixel-mode-not-trained" style={{ color: 'var(--accent)', margin: '4px 0' }}>
          Pixel mode learned from the photos the worker holds; {training.notTrained.length} labelled photo{training.notTrained.length === 1 ? '' : 's'} not held
          were left out (superpixel mode learns from all)
        </p>
      )}
      {crf && seg && !seg.pixels && (
        <p className="muted" data-testid="crf-status">
          {refinement ? `edges refined by the dense CRF in ${refinement.ms.toFixed(0)} ms` : 'refining edges…'}
        </p>
      )}
      {suggestedOnly && (
        <p role="status" data-testid="suggested-hint" style={{ color: 'var(--accent)', margin: '4px 0' }}>
          Suggested labels — paint to correct
        </p>
      )}
      {seg && (
        <p className="muted" data-testid="segmentation-summary">
          {seg.labelled} of {seg.superpixels} superpixels labelled by you{seg.pixels ? '; labels per pixel' : ''}
        </p>
      )}
      <label>
        View{' '}
        <select data-testid="segmentation-view" value={s.segmentationView} onChange={(e) => s.setSegmentationView(e.target.value as SegmentationView)}>
          <option value="classes">classes</option>
          <option value="uncertainty">uncertainty</option>
          <option value="none">none</option>
        </select>
      </label>
      <label>
        Opacity <input type="range" min={0} max={1} step={0.05} value={s.segmentationOpacity} onChange={(e) => s.setSegmentationOpacity(Number(e.target.value))} />
      </label>
    </section>
  );
}
