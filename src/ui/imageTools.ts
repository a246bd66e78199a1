// Pointer tools on the photo (brush, eraser, …), looked up by the store's `tool`. The viewer turns pointer
// events into photo coordinates (working-copy pixels) and hands them here; 'pan' is the viewer's own.
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

export const imageTools: Record<string, ImageTool> = {};
