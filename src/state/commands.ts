// Every user command in one registry: toolbar buttons, keyboard shortcuts and the help overlay all read it,
// so a command behaves the same however it is invoked.
import type { StudioState } from './studioStore.ts';

export interface Shortcut {
  /** KeyboardEvent.code */
  code: string;
  ctrl?: boolean;
  shift?: boolean;
}

export interface CommandContext {
  state: StudioState;
  /** Opens the file picker (the UI owns the <input>). */
  openFilePicker(): void;
  /** Opens the ground-truth file picker (the UI owns that <input> too). */
  openGroundTruthPicker(): void;
  /** The viewer's fit-to-window zoom. */
  fitView(): void;
}

export interface Command {
  id: string;
  label: string;
  shortcut?: Shortcut;
  enabled(state: StudioState): boolean;
  run(ctx: CommandContext): void;
}

const hasPhoto = (s: StudioState) => s.activePhotoId !== undefined;

function cyclePhoto(s: StudioState, step: number): void {
  const i = s.photos.findIndex((p) => p.id === s.activePhotoId);
  const next = s.photos[(i + step + s.photos.length) % s.photos.length];
  if (next) s.selectPhoto(next.id);
}

export const commands: Command[] = [
  { id: 'open', label: 'Open photos…', shortcut: { code: 'KeyO' }, enabled: () => true, run: (c) => c.openFilePicker() },
  { id: 'load-ground-truth', label: 'Load ground truth…', enabled: hasPhoto, run: (c) => c.openGroundTruthPicker() },
  { id: 'zoom-in', label: 'Zoom in', shortcut: { code: 'Equal' }, enabled: hasPhoto, run: ({ state: s }) => s.setView(s.zoom * 1.25, s.pan) },
  { id: 'zoom-out', label: 'Zoom out', shortcut: { code: 'Minus' }, enabled: hasPhoto, run: ({ state: s }) => s.setView(s.zoom / 1.25, s.pan) },
  { id: 'zoom-fit', label: 'Fit to window', shortcut: { code: 'Digit0' }, enabled: hasPhoto, run: (c) => c.fitView() },
  { id: 'next-photo', label: 'Next photo', shortcut: { code: 'BracketRight' }, enabled: (s) => s.photos.length > 1, run: ({ state }) => cyclePhoto(state, 1) },
  { id: 'prev-photo', label: 'Previous photo', shortcut: { code: 'BracketLeft' }, enabled: (s) => s.photos.length > 1, run: ({ state }) => cyclePhoto(state, -1) },
  {
    id: 'remove-photo',
    label: 'Close photo',
    shortcut: { code: 'Delete' },
    enabled: hasPhoto,
    run: ({ state }) => state.activePhotoId && state.removePhoto(state.activePhotoId),
  },
  {
    id: 'hide-heatmap',
    label: 'Hide heatmap',
    shortcut: { code: 'KeyH' },
    enabled: (s) => s.heatmap.kind !== 'none',
    run: ({ state }) => void state.setHeatmap({ kind: 'none' }),
  },
];

export function shortcutLabel(s: Shortcut): string {
  const key = s.code.replace(/^Key|^Digit/, '').replace('BracketRight', ']').replace('BracketLeft', '[').replace('Equal', '+').replace('Minus', '−');
  return `${s.ctrl ? 'Ctrl+' : ''}${s.shift ? 'Shift+' : ''}${key}`;
}

export function commandForKey(e: Pick<KeyboardEvent, 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey'>): Command | undefined {
  const ctrl = e.ctrlKey || e.metaKey;
  return commands.find((c) => c.shortcut && c.shortcut.code === e.code && !!c.shortcut.ctrl === ctrl && !!c.shortcut.shift === e.shiftKey);
}
