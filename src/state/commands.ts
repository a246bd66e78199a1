// Every user command in one registry: toolbar buttons, keyboard shortcuts and the help overlay all read it,
// so a command behaves the same however it is invoked.
import type { StudioState } from './studioStore.ts';
import { ALL_LEVELS } from '../ml/levels.ts';
import { canRunAblation } from './ablationSlice.ts';

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

export type CommandGroup = 'file' | 'view' | 'edit' | 'tool' | 'level' | 'class';

export interface Command {
  id: string;
  label: string;
  /** Where the UI shows it: the toolbar shows file, edit and view commands; panels show tools and levels;
   * class picks are keyboard-only (the legend is their UI). */
  group: CommandGroup;
  /** For toggles and tools: whether it is on now. */
  active?(state: StudioState): boolean;
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
  { id: 'open', group: 'file', label: 'Open photos…', shortcut: { code: 'KeyO' }, enabled: () => true, run: (c) => c.openFilePicker() },
  { id: 'load-ground-truth', group: 'file', label: 'Load ground truth…', enabled: hasPhoto, run: (c) => c.openGroundTruthPicker() },
  { id: 'zoom-in', group: 'view', label: 'Zoom in', shortcut: { code: 'Equal' }, enabled: hasPhoto, run: ({ state: s }) => s.setView(s.zoom * 1.25, s.pan) },
  { id: 'zoom-out', group: 'view', label: 'Zoom out', shortcut: { code: 'Minus' }, enabled: hasPhoto, run: ({ state: s }) => s.setView(s.zoom / 1.25, s.pan) },
  { id: 'zoom-fit', group: 'view', label: 'Fit to window', shortcut: { code: 'KeyF' }, enabled: hasPhoto, run: (c) => c.fitView() },
  { id: 'next-photo', group: 'view', label: 'Next photo', shortcut: { code: 'BracketRight' }, enabled: (s) => s.photos.length > 1, run: ({ state }) => cyclePhoto(state, 1) },
  { id: 'prev-photo', group: 'view', label: 'Previous photo', shortcut: { code: 'BracketLeft' }, enabled: (s) => s.photos.length > 1, run: ({ state }) => cyclePhoto(state, -1) },
  {
    id: 'remove-photo',
    group: 'file',
    label: 'Close photo',
    shortcut: { code: 'Delete' },
    enabled: hasPhoto,
    run: ({ state }) => state.activePhotoId && state.removePhoto(state.activePhotoId),
  },
  {
    id: 'hide-heatmap',
    group: 'view',
    label: 'Hide heatmap',
    shortcut: { code: 'KeyH' },
    enabled: (s) => s.heatmap.kind !== 'none',
    run: ({ state }) => void state.setHeatmap({ kind: 'none' }),
  },
  { id: 'undo', group: 'edit', label: 'Undo', shortcut: { code: 'KeyZ', ctrl: true }, enabled: (s) => s.past.length > 0, run: ({ state }) => state.undo() },
  { id: 'redo', group: 'edit', label: 'Redo', shortcut: { code: 'KeyZ', ctrl: true, shift: true }, enabled: (s) => s.future.length > 0, run: ({ state }) => state.redo() },
  {
    id: 'retrain',
    group: 'edit',
    label: 'Retrain',
    shortcut: { code: 'KeyR' },
    enabled: (s) => Object.values(s.strokes).some((l) => l.length > 0),
    run: ({ state }) => state.scheduleSegmentation(),
  },
  {
    id: 'ablation',
    group: 'edit',
    label: 'Ablation table',
    enabled: (s) => !s.ablation.running && canRunAblation(s),
    run: ({ state }) => void state.runAblation(),
  },
  {
    id: 'stop-training',
    group: 'edit',
    label: 'Stop training',
    shortcut: { code: 'Escape' },
    enabled: (s) => s.training.running,
    run: ({ state }) => state.stopTraining(),
  },
  {
    id: 'export-mask',
    group: 'file',
    label: 'Export mask',
    shortcut: { code: 'KeyS', ctrl: true },
    enabled: (s) => s.activePhotoId !== undefined && s.segmentations[s.activePhotoId] !== undefined,
    run: ({ state }) => void state.exportMask(state.activePhotoId!),
  },
  ...(['pan', 'brush', 'eraser'] as const).map(
    (tool, i): Command => ({
      id: `tool-${tool}`,
      group: 'tool',
      label: tool[0].toUpperCase() + tool.slice(1),
      shortcut: { code: ['KeyV', 'KeyB', 'KeyE'][i] },
      enabled: hasPhoto,
      active: (s) => s.tool === tool,
      run: ({ state }) => state.setTool(tool),
    }),
  ),
  { id: 'brush-smaller', group: 'tool', label: 'Smaller brush', shortcut: { code: 'Comma' }, enabled: () => true, run: ({ state }) => state.setBrushRadius(Math.floor(state.brushRadius / 1.5)) },
  { id: 'brush-larger', group: 'tool', label: 'Larger brush', shortcut: { code: 'Period' }, enabled: () => true, run: ({ state }) => state.setBrushRadius(Math.ceil(Math.max(1, state.brushRadius) * 1.5)) },
  // Keys 0–9 pick the first ten classes (0 is background in both presets).
  ...Array.from(
    { length: 10 },
    (_, i): Command => ({
      id: `class-${i}`,
      group: 'class',
      label: `Paint class ${i}`,
      shortcut: { code: `Digit${i}` },
      enabled: (s) => i < s.labelSet.classes.length,
      active: (s) => s.activeClass === i,
      run: ({ state }) => state.setActiveClass(i),
    }),
  ),
  ...ALL_LEVELS.map(
    (level, i): Command => ({
      id: `toggle-${level}`,
      group: 'level',
      label: level,
      shortcut: { code: `Digit${i + 1}`, shift: true },
      enabled: () => true,
      active: (s) => s.levels[level],
      run: ({ state }) => state.toggleLevel(level),
    }),
  ),
];

export function shortcutLabel(s: Shortcut): string {
  const key = s.code.replace(/^Key|^Digit/, '').replace('BracketRight', ']').replace('BracketLeft', '[').replace('Equal', '+').replace('Minus', '−').replace('Comma', ',').replace('Period', '.').replace('Escape', 'Esc');
  return `${s.ctrl ? 'Ctrl+' : ''}${s.shift ? 'Shift+' : ''}${key}`;
}

export function commandForKey(e: Pick<KeyboardEvent, 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey'>): Command | undefined {
  const ctrl = e.ctrlKey || e.metaKey;
  return commands.find((c) => c.shortcut && c.shortcut.code === e.code && !!c.shortcut.ctrl === ctrl && !!c.shortcut.shift === e.shiftKey);
}
