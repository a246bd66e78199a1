// Undo/redo for every edit (strokes, class edits, …): an edit knows how to apply and revert itself, and
// goes through `record`, so the Undo and Redo commands cover all of them.
import type { StateCreator } from 'zustand';
import type { StudioState } from './studioStore.ts';

export interface Edit {
  label: string;
  apply(): void;
  revert(): void;
}

const LIMIT = 200;

export interface HistorySlice {
  past: Edit[];
  future: Edit[];
  /** Applies `edit` and makes it undoable. */
  record(edit: Edit): void;
  undo(): void;
  redo(): void;
}

export const createHistorySlice: StateCreator<StudioState, [], [], HistorySlice> = (set, get) => ({
  past: [],
  future: [],
  record(edit) {
    edit.apply();
    set((s) => ({ past: [...s.past.slice(-(LIMIT - 1)), edit], future: [] }));
  },
  undo() {
    const edit = get().past.at(-1);
    if (!edit) return;
    edit.revert();
    set((s) => ({ past: s.past.slice(0, -1), future: [...s.future, edit] }));
  },
  redo() {
    const edit = get().future.at(-1);
    if (!edit) return;
    edit.apply();
    set((s) => ({ future: s.future.slice(0, -1), past: [...s.past, edit] }));
  },
});
