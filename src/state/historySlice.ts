// Undo/redo for every edit (strokes, class edits, closing photos, …): an edit knows how to apply and revert
// itself, and goes through `record`, so the Undo and Redo commands cover all of them. Edits that are plain
// data (a kind and a payload, see `editKind`) are saved with the project, so undo survives a reload; an edit
// that is not (closing a photo holds its pixels) ends what can be restored: history before it is not saved.
import type { StateCreator } from 'zustand';
import { persistPart } from './persistence.ts';
import type { StudioState } from './studioStore.ts';

export interface EditData {
  kind: string;
  payload: unknown;
}

export interface Edit {
  label: string;
  apply(): void;
  revert(): void;
  /** Present when the edit can be rebuilt from data after a reload. */
  data?: EditData;
}

const LIMIT = 200;
/** Edits saved with the project (each way): enough to undo a session's recent work after a reload. */
const SAVED = 50;

export interface HistorySlice {
  past: Edit[];
  future: Edit[];
  /** Applies `edit` and makes it undoable. */
  record(edit: Edit): void;
  undo(): void;
  redo(): void;
}

const kinds = new Map<string, (payload: never) => Omit<Edit, 'data'>>();

/**
 * Declares a kind of edit that is plain data; returns the function making such edits. `build` must work from
 * the payload alone, so the edit can be rebuilt after a reload.
 */
export function editKind<P>(kind: string, build: (payload: P) => Omit<Edit, 'data'>): (payload: P) => Edit {
  kinds.set(kind, build as (payload: never) => Omit<Edit, 'data'>);
  return (payload) => ({ ...build(payload), data: { kind, payload } });
}

function rebuild(data: EditData): Edit | undefined {
  const build = kinds.get(data?.kind);
  return build ? { ...build(data.payload as never), data } : undefined;
}

interface SavedHistory {
  past: EditData[];
  future: EditData[];
}

/** The newest run of data edits at the end of `edits` (oldest first), at most SAVED. */
function savable(edits: Edit[]): EditData[] {
  const out: EditData[] = [];
  for (let i = edits.length - 1; i >= 0 && out.length < SAVED; i--) {
    const data = edits[i].data;
    if (!data) break;
    out.unshift(data);
  }
  return out;
}

export const createHistorySlice: StateCreator<StudioState, [], [], HistorySlice> = (set, get) => {
  let saved: { past: Edit[]; future: Edit[]; value: SavedHistory } | undefined;
  persistPart<SavedHistory>({
    key: 'history',
    // The same object while past and future are unchanged, so autosave sees no change.
    select: (s) => {
      if (saved?.past !== s.past || saved.future !== s.future) saved = { past: s.past, future: s.future, value: { past: savable(s.past), future: savable(s.future) } };
      return saved.value;
    },
    validate: (v) => {
      const d = v as SavedHistory;
      if (!Array.isArray(d?.past) || !Array.isArray(d.future)) throw new Error('not an edit history');
      return d;
    },
    // Unknown or malformed edits cut the history there: undo never jumps over a step it cannot take.
    restore: (d) => {
      const past: Edit[] = [];
      for (const data of [...d.past].reverse()) {
        const edit = rebuild(data);
        if (!edit) break;
        past.unshift(edit);
      }
      const future: Edit[] = [];
      for (const data of [...d.future].reverse()) {
        const edit = rebuild(data);
        if (!edit) break;
        future.unshift(edit);
      }
      set({ past, future });
    },
  });

  return {
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
  };
};
