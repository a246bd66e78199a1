// Suggestions (thesis ch. 4, "learning without masks"): every photo is segmented as soon as it is in, from
// points sampled on the detector's localization maps (diverse sampling, eqs. 4.3.3–4.3.5); the user's strokes
// are hard labels and win. Here: the settings, the active photo's points per class, clearing them for one photo
// (undoable), what the sampling saw — the points and one localization or background map — and a class taught
// from image-level tags.
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { SamplingStrategy } from '../core/diverseSampling.ts';
import { SAMPLING_DEFAULTS } from '../ml/samplingDefaults.ts';
import type { SamplingMapChoice } from '../state/samplingSlice.ts';
import { activePhoto, useStudio } from '../state/studioStore.ts';
import { TagClassSection } from './TagClassSection.tsx';

const STRATEGIES: { id: SamplingStrategy; label: string }[] = [
  { id: 'diverse', label: 'diverse (eq. 4.3.4)' },
  { id: 'top-k', label: 'top-k scores' },
  { id: 'spatial', label: 'spatial spread' },
];

const BACKGROUND = SAMPLING_DEFAULTS.background;

function parseChoice(value: string): SamplingMapChoice {
  return value === 'none' || value === 'background' ? value : Number(value);
}

export function SamplingPanel() {
  const s = useStudio(
    useShallow((st) => ({
      suggestions: st.suggestions,
      setSuggestions: st.setSuggestions,
      setPhotoSuggestions: st.setPhotoSuggestions,
      view: st.samplingView,
      setView: st.setSamplingView,
      classes: st.labelSet.classes,
      fetched: st.samplingMap,
      mapError: st.samplingMapError,
      tagClasses: st.tagClasses,
    })),
  );
  const photo = useStudio(activePhoto);
  const off = useStudio((st) => (st.activePhotoId ? st.suggestionsOff[st.activePhotoId] === true : false));
  const superpixels = useStudio((st) => (st.activePhotoId ? st.superpixels[st.activePhotoId] : undefined));
  const points = useStudio((st) => (st.activePhotoId ? st.segmentations[st.activePhotoId]?.points : undefined));

  /** Points per class, background last. */
  const perClass = useMemo(() => {
    const counts = new Map<number, number>();
    for (const p of points ?? []) counts.set(p.classIndex, (counts.get(p.classIndex) ?? 0) + 1);
    return [...counts].sort(([a], [b]) => (a === BACKGROUND ? 1 : b === BACKGROUND ? -1 : a - b));
  }, [points]);
  const name = (c: number) => s.classes[c]?.name ?? `class ${c}`;
  const learnt = s.classes.flatMap((c, i) => (i !== BACKGROUND && s.tagClasses[c.name] ? [i] : []));
  const mapClasses = [...new Set([...perClass.map(([c]) => c).filter((c) => c !== BACKGROUND), ...learnt, ...(typeof s.view.map === 'number' ? [s.view.map] : [])])];
  const shown = s.fetched && photo && s.fetched.photoId === photo.id && s.fetched.map === s.view.map && s.fetched.mapId === superpixels?.mapId ? s.fetched : undefined;
  const strong = shown ? shown.values.reduce((n, v) => n + (v >= 0.5 ? 1 : 0), 0) : 0;

  return (
    <section className="panel" aria-label="Suggestions">
      <h2>Suggestions</h2>
      <label>
        <input type="checkbox" data-testid="suggestions-enabled" checked={s.suggestions.enabled} onChange={(e) => s.setSuggestions({ enabled: e.target.checked })} /> Segment new photos
        automatically
      </label>
      <label>
        Sampling{' '}
        <select
          data-testid="sampling-strategy"
          value={s.suggestions.strategy}
          onChange={(e) => {
            s.setSuggestions({ strategy: e.target.value as SamplingStrategy });
            // Leave the dropdown, so later keys are shortcuts again, not its type-ahead.
            e.currentTarget.blur();
          }}
        >
          {STRATEGIES.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      <label title="Points sampled per class the detector finds, and for background">
        k <output data-testid="sampling-k-value">{s.suggestions.k}</output>
        <input type="range" data-testid="sampling-k" min={1} max={50} step={1} value={Math.min(50, s.suggestions.k)} onChange={(e) => s.setSuggestions({ k: Number(e.target.value) })} />
      </label>

      {photo && (
        <>
          <h3>This photo</h3>
          {!s.suggestions.enabled ? (
            <p className="muted">Suggestions are off: only your strokes label photos.</p>
          ) : off ? (
            <p className="muted" data-testid="suggestions-cleared">
              Suggestions cleared for this photo.
            </p>
          ) : perClass.length > 0 ? (
            <ul data-testid="suggested-points" style={{ listStyle: 'none', padding: 0, margin: '4px 0' }}>
              {perClass.map(([c, n]) => (
                <li key={c} data-testid="suggested-points-class" data-class={name(c)}>
                  {name(c)}: <span data-testid={`points-${name(c)}`}>{n}</span> points
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted" data-testid="suggested-points-none">
              {points ? 'The detector found no class of the label set here.' : 'No points yet.'}
            </p>
          )}
          {s.suggestions.enabled && (
            <button data-testid="photo-suggestions-toggle" onClick={() => s.setPhotoSuggestions(photo.id, off)}>
              {off ? 'Use suggestions for this photo' : 'Clear suggestions for this photo'}
            </button>
          )}
          <label>
            <input type="checkbox" data-testid="sampling-show-points" checked={s.view.points} onChange={(e) => s.setView({ points: e.target.checked })} /> Show points
          </label>
          <label>
            Map{' '}
            <select
              data-testid="sampling-map"
              value={String(s.view.map)}
              onChange={(e) => {
                s.setView({ map: parseChoice(e.target.value) });
                e.currentTarget.blur();
              }}
            >
              <option value="none">none</option>
              {mapClasses.map((c) => (
                <option key={c} value={String(c)}>
                  {name(c)} ({s.tagClasses[name(c)] ? 'from tags' : 'detector'})
                </option>
              ))}
              <option value="background" title="Per superpixel, its highest feature similarity to the chosen class points (eq. 4.3.5): background points go where it is low">
                background affinity
              </option>
            </select>
          </label>
          {s.view.map !== 'none' && (
            <p className={s.mapError ? 'error' : 'muted'} data-testid="sampling-map-status" data-loaded={shown ? 'true' : 'false'}>
              {s.mapError ??
                (shown
                  ? `${s.view.map === 'background' ? 'background affinity' : name(s.view.map)}: ${strong} of ${shown.values.length} superpixels ≥ 0.5`
                  : superpixels
                    ? 'computing the map…'
                    : 'the map appears once the photo has superpixels')}
            </p>
          )}
          <TagClassSection />
        </>
      )}
    </section>
  );
}
