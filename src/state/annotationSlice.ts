// The user's strokes per photo (brush and eraser), drawn with the pointer tools; each finished stroke is an
// undoable edit and asks the segmentation to retrain.
import type { StateCreator } from 'zustand';
import { ERASE, validateStrokes, type Stroke } from '../core/strokes.ts';
import { editKind } from './historySlice.ts';
import { persistPart, persistPhotoPart, validNumber } from './persistence.ts';
import type { StudioState } from './studioStore.ts';

export interface AnnotationSlice {
  strokes: Record<string, Stroke[]>;
  /** The stroke being drawn, shown before it is committed. */
  draft?: { photoId: string; stroke: Stroke };
  brushRadius: number;
  setBrushRadius(r: number): void;
  beginStroke(x: number, y: number, erase: boolean): void;
  extendStroke(x: number, y: number): void;
  endStroke(): void;
  clearStrokes(photoId: string): void;
}

export const createAnnotationSlice: StateCreator<StudioState, [], [], AnnotationSlice> = (set, get) => {
  const setPhotoStrokes = (photoId: string, list: Stroke[]) => {
    set((s) => ({ strokes: { ...s.strokes, [photoId]: list } }));
    get().scheduleSegmentation();
  };

  persistPhotoPart<Stroke[]>({
    key: 'strokes',
    select: (s, id) => s.strokes[id],
    validate: (data, s) => validateStrokes(data, s.labelSet.classes.length),
    restore: (byPhoto) => set((s) => ({ strokes: { ...s.strokes, ...byPhoto } })),
  });
  // History is linear: when an edit is applied or reverted, the photo's strokes are what they were when it was made.
  const addStroke = editKind<{ label: string; photoId: string; stroke: Stroke }>('add-stroke', ({ label, photoId, stroke }) => ({
    label,
    apply: () => setPhotoStrokes(photoId, [...(get().strokes[photoId] ?? []), stroke]),
    revert: () => setPhotoStrokes(photoId, (get().strokes[photoId] ?? []).slice(0, -1)),
  }));
  const clearAll = editKind<{ photoId: string; before: Stroke[] }>('clear-strokes', ({ photoId, before }) => ({
    label: 'clear strokes',
    apply: () => setPhotoStrokes(photoId, []),
    revert: () => setPhotoStrokes(photoId, before),
  }));

  persistPart<number>({ key: 'brush', select: (s) => s.brushRadius, validate: (r) => validNumber(r, 0, 100), restore: (brushRadius) => set({ brushRadius }) });

  return {
    strokes: {},
    brushRadius: 4,
    setBrushRadius(r) {
      set({ brushRadius: Math.max(0, Math.min(100, r)) });
    },
    beginStroke(x, y, erase) {
      const photoId = get().activePhotoId;
      if (!photoId) return;
      set({ draft: { photoId, stroke: { classIndex: erase ? ERASE : get().activeClass, radius: get().brushRadius, points: [x, y] } } });
    },
    extendStroke(x, y) {
      const d = get().draft;
      if (d) set({ draft: { ...d, stroke: { ...d.stroke, points: [...d.stroke.points, x, y] } } });
    },
    endStroke() {
      const d = get().draft;
      if (!d) return;
      set({ draft: undefined });
      const label = d.stroke.classIndex === ERASE ? 'erase' : `paint ${get().labelSet.classes[d.stroke.classIndex]?.name ?? d.stroke.classIndex}`;
      get().record(addStroke({ label, photoId: d.photoId, stroke: d.stroke }));
    },
    clearStrokes(photoId) {
      const before = get().strokes[photoId] ?? [];
      if (before.length === 0) return;
      get().record(clearAll({ photoId, before }));
    },
  };
};
