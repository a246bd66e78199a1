// Pointer tools on the photo, looked up by the store's `tool`. The viewer turns pointer events into photo
// coordinates (working-copy pixels) and hands them here; 'pan' is the viewer's own.
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

export const imageTools: Record<string, ImageTool> = {
  brush: strokeTool(false),
  eraser: strokeTool(true),
};
