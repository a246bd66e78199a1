// What the viewer shows: zoom and pan, and the heatmap laid over the photo.
import type { StateCreator } from 'zustand';
import type { ScalarMap } from '../worker/protocol.ts';
import type { StudioState } from './studioStore.ts';
import { studioWorker } from './worker.ts';
import { persistPart, validNumber } from './persistence.ts';

export type HeatmapSelection = { kind: 'none' } | { kind: 'tap' | 'class'; index: number };

export interface ViewSlice {
  heatmap: HeatmapSelection;
  heatmapData?: ScalarMap;
  heatmapOpacity: number;
  zoom: number;
  pan: { x: number; y: number };
  /** The pointer tool on the photo: 'pan' or a tool of src/ui/imageTools.ts. */
  tool: string;
  setTool(tool: string): void;
  setHeatmap(sel: HeatmapSelection): Promise<void>;
  setHeatmapOpacity(v: number): void;
  setView(zoom: number, pan: { x: number; y: number }): void;
}

interface SavedView {
  activePhotoId?: string;
  zoom: number;
  pan: { x: number; y: number };
  tool: string;
}

export const createViewSlice: StateCreator<StudioState, [], [], ViewSlice> = (set, get) => {
  // The session: which photo was open, how it was viewed, with which tool (restored after the photos).
  persistPart<SavedView>({
    key: 'view',
    select: (s) => ({ activePhotoId: s.activePhotoId, zoom: s.zoom, pan: s.pan, tool: s.tool }),
    validate: (v) => {
      const d = v as SavedView;
      validNumber(d?.zoom, 0.1, 32);
      validNumber(d.pan?.x, -1e6, 1e6);
      validNumber(d.pan.y, -1e6, 1e6);
      if (typeof d.tool !== 'string' || (d.activePhotoId !== undefined && typeof d.activePhotoId !== 'string')) throw new Error('not a view');
      return d;
    },
    restore: (d) => set((s) => ({ zoom: d.zoom, pan: d.pan, tool: d.tool, activePhotoId: s.photos.some((p) => p.id === d.activePhotoId) ? d.activePhotoId : s.activePhotoId })),
  });

  return {
  heatmap: { kind: 'none' },
  heatmapOpacity: 0.6,
  zoom: 1,
  pan: { x: 0, y: 0 },
  tool: 'pan',

  setTool(tool) {
    set({ tool });
  },

  async setHeatmap(sel) {
    set({ heatmap: sel });
    const photo = get().photos.find((p) => p.id === get().activePhotoId);
    if (sel.kind === 'none' || !photo?.analysis) {
      set({ heatmapData: undefined });
      return;
    }
    try {
      const data = await studioWorker().request('heatmap', { photoId: photo.id, kind: sel.kind, index: sel.index });
      if (get().heatmap === sel && get().activePhotoId === photo.id) set({ heatmapData: data });
    } catch (err) {
      get().notify('error', `heatmap: ${(err as Error).message}`);
    }
  },

  setHeatmapOpacity(v) {
    set({ heatmapOpacity: v });
  },

  setView(zoom, pan) {
    set({ zoom: Math.min(32, Math.max(0.1, zoom)), pan });
  },
};
};
