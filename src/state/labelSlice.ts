// The project's classes (name, colour) with the VOC, COCO and indoor (NYUv2) presets, and the class the brush paints.
// Every change goes through the history, so renames and recolours are undoable like strokes.
// Classes are identities, not indices: a preset switch maps every class by name (core/classMapping.ts) and
// moves strokes, ground truth, segmentations and the active class along, in one undoable edit.
import type { StateCreator } from 'zustand';
import { invertIndexMap, mapLabelSet, presentClasses, remapClassMap, remapStrokes } from '../core/classMapping.ts';
import { cocoLabelSet, nyuLabelSet, outdoorLabelSet, rgbHex, vocLabelSet, vocPalette } from '../core/labelSets.ts';
import type { Stroke } from '../core/strokes.ts';
import { IGNORE_LABEL, type LabelClass, type LabelSet } from '../core/types.ts';
import type { PhotoSegmentation } from '../worker/segmentationProtocol.ts';
import type { GroundTruth } from './groundTruthSlice.ts';
import { editKind } from './historySlice.ts';
import { persistPart, validNumber } from './persistence.ts';
import type { StudioState } from './studioStore.ts';

export type LabelPreset = 'voc' | 'coco' | 'nyu' | 'outdoor';

export interface LabelSlice {
  labelSet: LabelSet;
  activeClass: number;
  setActiveClass(i: number): void;
  applyPreset(preset: LabelPreset): void;
  addClass(): void;
  updateClass(i: number, patch: Partial<LabelClass>): void;
}

/** Class indices the user's work refers to: strokes (not the eraser), ground truth, and the active class. */
function usedClasses(s: Pick<StudioState, 'strokes' | 'groundTruth' | 'activeClass'>): Set<number> {
  const used = new Set<number>([s.activeClass]);
  for (const list of Object.values(s.strokes)) for (const st of list) if (st.classIndex !== IGNORE_LABEL) used.add(st.classIndex);
  for (const gt of Object.values(s.groundTruth)) for (const c of gt.present) used.add(c);
  return used;
}

type Remappable = Pick<StudioState, 'strokes' | 'groundTruth' | 'segmentations'>;

/** Strokes, ground truth and segmentations with every class index mapped through `indexMap`. */
function remapWork(s: Remappable, indexMap: Uint8Array): Remappable {
  const strokes: Record<string, Stroke[]> = {};
  for (const [id, list] of Object.entries(s.strokes)) strokes[id] = remapStrokes(list, indexMap);
  const groundTruth: Record<string, GroundTruth> = {};
  for (const [id, gt] of Object.entries(s.groundTruth)) {
    if (gt.present.every((c) => indexMap[c] === c)) {
      groundTruth[id] = gt;
      continue;
    }
    const classes = remapClassMap(gt.classes, indexMap);
    groundTruth[id] = { ...gt, classes, present: presentClasses(classes) };
  }
  const segmentations: Record<string, PhotoSegmentation> = {};
  for (const [id, seg] of Object.entries(s.segmentations)) segmentations[id] = {
      ...seg,
      classes: remapClassMap(seg.classes, indexMap),
      ...(seg.pixels && { pixels: { ...seg.pixels, classes: remapClassMap(seg.pixels.classes, indexMap) } }),
    };
  return { strokes, groundTruth, segmentations };
}

function randomColor(): string {
  return `#${Math.floor(Math.random() * 0xffffff)
    .toString(16)
    .padStart(6, '0')}`;
}

export const createLabelSlice: StateCreator<StudioState, [], [], LabelSlice> = (set, get) => {
  const classEdit = editKind<{ label: string; prev: LabelSet; next: LabelSet; prevActive: number }>('label-set', ({ label, prev, next, prevActive }) => ({
    label,
    apply: () => set({ labelSet: next, activeClass: Math.min(prevActive, next.classes.length - 1) }),
    revert: () => set({ labelSet: prev, activeClass: prevActive }),
  }));
  const replaceSet = (label: string, next: LabelSet) => get().record(classEdit({ label, prev: get().labelSet, next, prevActive: get().activeClass }));

  /**
   * Switches to `target`, mapping classes by name. A class of the old set without a counterpart is appended
   * (same name and colour) when the user's work uses it or it is not a stock preset class (added, renamed or
   * recoloured); unused stock classes of the other preset are dropped. Strokes, ground truth, segmentations
   * and the active class follow, so nothing changes meaning; one undoable edit, then the head retrains.
   */
  const switchLabelSet = (label: string, target: LabelSet, cocoNames: readonly string[] | undefined) => {
    const prev = get().labelSet;
    const used = usedClasses(get());
    // Indices the work uses beyond the old set (ground truth from another set) get a class of their own.
    const palette = vocPalette();
    const from: LabelSet = { ...prev, classes: [...prev.classes] };
    const maxUsed = Math.max(...[...used].filter((c) => c !== IGNORE_LABEL));
    for (let i = from.classes.length; i <= maxUsed; i++) from.classes.push({ name: `class ${i}`, color: rgbHex(palette[i]) });
    const stock = new Set([...vocLabelSet().classes, ...nyuLabelSet().classes, ...outdoorLabelSet().classes, ...(cocoNames ? cocoLabelSet(cocoNames).classes : [])].map((c) => `${c.name}\n${c.color.toLowerCase()}`));
    let mapping;
    try {
      const own = (i: number) => i < prev.classes.length && !stock.has(`${prev.classes[i].name}\n${prev.classes[i].color.toLowerCase()}`);
      mapping = mapLabelSet(from, target, (i) => used.has(i) || own(i));
    } catch (err) {
      get().notify('error', `the classes were not switched: ${(err as Error).message}`);
      return;
    }
    const { labelSet: next, indexMap } = mapping;
    const back = invertIndexMap(indexMap);
    const prevActive = get().activeClass;
    // What the last apply produced and replaced, per photo: an undo puts back exactly what was there (also
    // where two old classes merged into one); parts that changed since are mapped back instead.
    let before: Remappable | undefined;
    let after: Remappable | undefined;
    const restore = <T,>(now: Record<string, T>, was: Record<string, T>, made: Record<string, T>, mappedBack: Record<string, T>) =>
      Object.fromEntries(Object.keys(now).map((id) => [id, now[id] === made[id] && id in was ? was[id] : mappedBack[id]]));
    get().record({
      label,
      apply: () => {
        const s = get();
        before = { strokes: s.strokes, groundTruth: s.groundTruth, segmentations: s.segmentations };
        after = remapWork(s, indexMap);
        const active = indexMap[s.activeClass];
        set({ labelSet: next, activeClass: active < next.classes.length ? active : 0, ...after });
        get().scheduleSegmentation();
      },
      revert: () => {
        const s = get();
        const mappedBack = remapWork(s, back);
        const was = before!;
        const made = after!;
        set({
          labelSet: prev,
          activeClass: s.activeClass === indexMap[prevActive] ? prevActive : back[s.activeClass] < prev.classes.length ? back[s.activeClass] : 0,
          strokes: restore(s.strokes, was.strokes, made.strokes, mappedBack.strokes),
          groundTruth: restore(s.groundTruth, was.groundTruth, made.groundTruth, mappedBack.groundTruth),
          segmentations: restore(s.segmentations, was.segmentations, made.segmentations, mappedBack.segmentations),
        });
        get().scheduleSegmentation();
      },
    });
    if (mapping.appended.length) get().notify('info', `kept ${mapping.appended.length} class${mapping.appended.length > 1 ? 'es' : ''} the new set lacks: ${mapping.appended.join(', ')}`);
  };

  persistPart<{ labelSet: LabelSet; activeClass: number }>({
    key: 'labels',
    select: (s) => ({ labelSet: s.labelSet, activeClass: s.activeClass }),
    validate: (d) => {
      const { labelSet, activeClass } = d as { labelSet: LabelSet; activeClass: number };
      const ok = typeof labelSet?.id === 'string' && Array.isArray(labelSet.classes) && labelSet.classes.length > 0 && labelSet.classes.length <= 255 &&
        labelSet.classes.every((c) => typeof c?.name === 'string' && /^#[0-9a-f]{6}$/i.test(c.color ?? ''));
      if (!ok) throw new Error('not a label set');
      return { labelSet, activeClass: validNumber(activeClass, 0, labelSet.classes.length - 1) };
    },
    restore: (d) => set(d),
  });

  return {
    labelSet: vocLabelSet(),
    activeClass: 15,
    setActiveClass(i) {
      if (i >= 0 && i < get().labelSet.classes.length) set({ activeClass: i });
    },
    applyPreset(preset) {
      const names = get().model.info?.classes;
      if (preset === 'coco' && !names) {
        get().notify('error', 'the COCO classes come with the model: wait until it has loaded');
        return;
      }
      const presets = { voc: [vocLabelSet, 'VOC'], nyu: [nyuLabelSet, 'indoor (NYUv2)'], outdoor: [outdoorLabelSet, 'outdoor layout'], coco: [() => cocoLabelSet(names!), 'COCO'] } as const;
      const [target, title] = presets[preset];
      switchLabelSet(`use ${title} classes`, target(), names);
    },
    addClass() {
      const s = get().labelSet;
      if (s.classes.length >= 255) {
        get().notify('error', 'at most 255 classes fit a class-index PNG');
        return;
      }
      replaceSet('add class', { id: 'custom', classes: [...s.classes, { name: `class ${s.classes.length}`, color: randomColor() }] });
      set({ activeClass: s.classes.length });
    },
    updateClass(i, patch) {
      const s = get().labelSet;
      replaceSet(patch.name !== undefined ? 'rename class' : 'recolour class', { ...s, classes: s.classes.map((c, k) => (k === i ? { ...c, ...patch } : c)) });
    },
  };
};
