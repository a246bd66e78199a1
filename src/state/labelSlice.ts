// The project's classes (name, colour) with the VOC and COCO presets, and the class the brush paints.
// Every change goes through the history, so renames and recolours are undoable like strokes.
import type { StateCreator } from 'zustand';
import { cocoLabelSet, vocLabelSet } from '../core/labelSets.ts';
import type { LabelClass, LabelSet } from '../core/types.ts';
import { persistPart, validNumber } from './persistence.ts';
import type { StudioState } from './studioStore.ts';

export type LabelPreset = 'voc' | 'coco';

export interface LabelSlice {
  labelSet: LabelSet;
  activeClass: number;
  setActiveClass(i: number): void;
  applyPreset(preset: LabelPreset): void;
  addClass(): void;
  updateClass(i: number, patch: Partial<LabelClass>): void;
}

function randomColor(): string {
  return `#${Math.floor(Math.random() * 0xffffff)
    .toString(16)
    .padStart(6, '0')}`;
}

export const createLabelSlice: StateCreator<StudioState, [], [], LabelSlice> = (set, get) => {
  const replaceSet = (label: string, next: LabelSet) => {
    const prev = get().labelSet;
    const prevActive = get().activeClass;
    get().record({
      label,
      apply: () => set({ labelSet: next, activeClass: Math.min(prevActive, next.classes.length - 1) }),
      revert: () => set({ labelSet: prev, activeClass: prevActive }),
    });
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
      replaceSet(`use ${preset.toUpperCase()} classes`, preset === 'voc' ? vocLabelSet() : cocoLabelSet(names!));
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
