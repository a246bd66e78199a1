// Pointer tools on the photo, looked up by the store's `tool`. The viewer turns pointer events into photo
// coordinates (working-copy pixels) and hands them here; 'pan' is the viewer's own.
import { FIND_SIMILAR_TOOL } from '../state/labelSpaceSlice.ts';
import { useStudio } from '../state/studioStore.ts';

export interface ImagePoint {
  x: number;
  y: number;
}

export interface ImageTool {
  cursor: string;
  down(p: ImagePoint): void;
  move(p: ImagePoint): void;
  up(): void;
}

function strokeTool(erase: boolean): ImageTool {
  return {
    cursor: 'crosshair',
    down: (p) => useStudio.getState().beginStroke(p.x, p.y, erase),
    move: (p) => useStudio.getState().extendStroke(p.x, p.y),
    up: () => useStudio.getState().endStroke(),
  };
}

/** A click picks the class region under it and searches label space for similar ones (labelSpaceSlice.ts). */
const findSimilarTool: ImageTool = {
  cursor: 'crosshair',
  down: (p) => {
    const s = useStudio.getState();
    if (s.activePhotoId) void s.findSimilarRegions(s.activePhotoId, p.x, p.y);
  },
  move: () => undefined,
  up: () => undefined,
};

export const imageTools: Record<string, ImageTool> = {
  brush: strokeTool(false),
  eraser: strokeTool(true),
  [FIND_SIMILAR_TOOL]: findSimilarTool,
};
