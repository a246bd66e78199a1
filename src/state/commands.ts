// Every user command in one registry: toolbar buttons, keyboard shortcuts and the help overlay all read it,
// so a command behaves the same however it is invoked.
import type { StudioState } from './studioStore.ts';
import { ALL_LEVELS } from '../ml/levels.ts';
import { canRunAblation } from './ablationSlice.ts';
import { canFinetune } from './finetuneSlice.ts';
import { EXPORT_FORMATS, EXPORT_FORMAT_LABELS } from '../core/exportLayout.ts';
import { exportablePhotos } from './exportSlice.ts';
import { FIND_SIMILAR_TOOL } from './labelSpaceSlice.ts';
import { canExportDepth, exportDepthPng, exportPointCloud } from './depthExports.ts';
import { photoTag, taggedPhotos } from './tagClassSlice.ts';

/**
 * A keyboard shortcut, matched either by the character the key types on the user's layout (`key`, as
 * KeyboardEvent.key reports it) or, only where a key's position is what matters, by the physical key (`code`).
 *
 * By character (`key`), so that Ctrl+Z is undo on QWERTZ (whose Z key is code KeyY) and AZERTY (KeyW), and
 * '+' zooms wherever the layout puts it (US: Shift+Equal; German: its own key, code BracketRight):
 * - letters match either case, and Shift must be pressed exactly when `shift` says (Ctrl+Shift+Z reports 'Z',
 *   or 'z' with ⌘ on a Mac); on non-Latin layouts (Cyrillic, Greek…) a letter key falls back to its Latin
 *   position (code KeyZ), as browsers' own Ctrl+Z does;
 * - other single characters (symbols, digits) ignore Shift and Alt, which the layout may need to type them
 *   (US '+' is Shift+'=', German '[' is AltGr+8, AZERTY '1' is Shift+'&'), and Ctrl+Alt together (how Windows
 *   reports AltGr); Ctrl alone must match;
 * - named keys ('Delete', 'Escape') match exactly, modifiers included.
 *
 * By position (`code`): only the level toggles, Shift+digit row. Shift+1 types '!' on US and German, '+' on
 * Swiss, '1' on French, so no character names it on every layout; position does. A character match always
 * wins over a position match: where Shift+digit types a digit (AZERTY, Czech), it picks that class as the
 * character says, and the level toggles are reached from their buttons in the segmentation panel.
 */
export type Shortcut = ({ key: string; code?: never } | { code: string; key?: never }) & {
  ctrl?: boolean;
  shift?: boolean;
  alt?: boolean;
};

export interface CommandContext {
  state: StudioState;
  /** Opens the file picker (the UI owns the <input>). */
  openFilePicker(): void;
  /** Opens the ground-truth file picker (the UI owns that <input> too). */
  openGroundTruthPicker(): void;
  /** Opens the project-file picker (a .zoomout.zip; the UI owns that <input> as well). */
  openProjectPicker(): void;
  /** The viewer's fit-to-window zoom. */
  fitView(): void;
  /** Opens the measured-depth picker for the active photo (a 16-bit PNG in mm; optional where no UI offers it). */
  openMeasuredDepthPicker?(): void;
  /** Opens the folder picker (<input webkitdirectory>, the UI's; optional where no UI offers folders). */
  openFolderPicker?(): void;
  /** Opens or closes the help overlay (the UI owns whether it shows; optional where no UI shows help). */
  toggleHelp?(): void;
}

export type CommandGroup = 'file' | 'view' | 'edit' | 'tool' | 'model' | 'level' | 'class' | 'task';

export interface Command {
  id: string;
  label: string;
  /** Where the UI shows it: the toolbar shows file, edit and view commands; panels show tools and levels;
   * model commands sit in the panel of what they change (fine-tuning: the segmentation panel in pixel mode);
   * class picks are keyboard-only (the legend is their UI); the task bar shows a task's command while it runs. */
  group: CommandGroup;
  /** For toggles and tools: whether it is on now. */
  active?(state: StudioState): boolean;
  /** The shortcut shown in tooltips and help. */
  shortcut?: Shortcut;
  /** Further shortcuts for the same command ('=' for zoom in, Ctrl+Y for redo). */
  alternatives?: Shortcut[];
  /** Whether holding the key down repeats the command; one-off commands (close, toggles) run once per press. */
  repeats?: boolean;
  /** Shown as an item of this toolbar menu rather than as a button of its own ('export': ui/ExportMenu.tsx). */
  menu?: 'export';
  enabled(state: StudioState): boolean;
  run(ctx: CommandContext): void;
}

const hasPhoto = (s: StudioState) => s.activePhotoId !== undefined;
const activeClassName = (s: StudioState) => s.labelSet.classes[s.activeClass]?.name ?? '';

function cyclePhoto(s: StudioState, step: number): void {
  const i = s.photos.findIndex((p) => p.id === s.activePhotoId);
  const next = s.photos[(i + step + s.photos.length) % s.photos.length];
  if (next) s.selectPhoto(next.id);
}

export const commands: Command[] = [
  { id: 'open', group: 'file', label: 'Open photos…', shortcut: { key: 'o' }, enabled: () => true, run: (c) => c.openFilePicker() },
  { id: 'open-folder', group: 'file', label: 'Open folder…', enabled: () => true, run: (c) => c.openFolderPicker?.() },
  { id: 'load-ground-truth', group: 'file', label: 'Load ground truth…', enabled: hasPhoto, run: (c) => c.openGroundTruthPicker() },
  { id: 'import-project', group: 'file', label: 'Open project…', enabled: () => true, run: (c) => c.openProjectPicker() },
  {
    id: 'export-project',
    group: 'file',
    label: 'Export project…',
    shortcut: { key: 's', ctrl: true, shift: true },
    enabled: (s) => s.photos.length > 0,
    run: ({ state }) => void state.exportProject(),
  },
  { id: 'zoom-in', group: 'view', label: 'Zoom in', shortcut: { key: '+' }, alternatives: [{ key: '=' }], repeats: true, enabled: hasPhoto, run: ({ state: s }) => s.setView(s.zoom * 1.25, s.pan) },
  { id: 'zoom-out', group: 'view', label: 'Zoom out', shortcut: { key: '-' }, repeats: true, enabled: hasPhoto, run: ({ state: s }) => s.setView(s.zoom / 1.25, s.pan) },
  { id: 'zoom-fit', group: 'view', label: 'Fit to window', shortcut: { key: 'f' }, enabled: hasPhoto, run: (c) => c.fitView() },
  { id: 'next-photo', group: 'view', label: 'Next photo', shortcut: { key: ']' }, repeats: true, enabled: (s) => s.photos.length > 1, run: ({ state }) => cyclePhoto(state, 1) },
  { id: 'prev-photo', group: 'view', label: 'Previous photo', shortcut: { key: '[' }, repeats: true, enabled: (s) => s.photos.length > 1, run: ({ state }) => cyclePhoto(state, -1) },
  {
    id: 'remove-photo',
    group: 'file',
    label: 'Close photo',
    shortcut: { key: 'Delete' },
    enabled: hasPhoto,
    run: ({ state }) => state.activePhotoId && state.removePhoto(state.activePhotoId),
  },
  { id: 'help', group: 'view', label: 'Help', shortcut: { key: '?' }, enabled: () => true, run: (c) => c.toggleHelp?.() },
  {
    id: 'hide-heatmap',
    group: 'view',
    label: 'Hide heatmap',
    shortcut: { key: 'h' },
    enabled: (s) => s.heatmap.kind !== 'none',
    run: ({ state }) => void state.setHeatmap({ kind: 'none' }),
  },
  { id: 'undo', group: 'edit', label: 'Undo', shortcut: { key: 'z', ctrl: true }, repeats: true, enabled: (s) => s.past.length > 0, run: ({ state }) => state.undo() },
  { id: 'redo', group: 'edit', label: 'Redo', shortcut: { key: 'z', ctrl: true, shift: true }, alternatives: [{ key: 'y', ctrl: true }], repeats: true, enabled: (s) => s.future.length > 0, run: ({ state }) => state.redo() },
  {
    id: 'retrain',
    group: 'edit',
    label: 'Retrain',
    shortcut: { key: 'r' },
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
  // Long tasks: each shows in the task bar with its progress while it runs, and these stop it.
  {
    id: 'stop-training',
    group: 'task',
    label: 'Stop training',
    shortcut: { key: 'Escape' },
    enabled: (s) => s.training.running,
    run: ({ state }) => state.stopTraining(),
  },
  {
    id: 'cancel-model-load',
    group: 'task',
    label: 'Cancel model load',
    enabled: (s) => s.model.status === 'loading',
    run: ({ state }) => state.cancelModelLoad(),
  },
  {
    id: 'load-model',
    group: 'task',
    label: 'Load model',
    enabled: (s) => s.model.status === 'idle' || s.model.status === 'error',
    run: ({ state }) => void state.loadModel(),
  },
  {
    id: 'stop-analysis',
    group: 'task',
    label: 'Stop computing features',
    enabled: (s) => s.analysisProgress !== undefined,
    run: ({ state }) => state.stopAnalysis(),
  },
  {
    id: 'cancel-finetune',
    group: 'task',
    label: 'Cancel fine-tuning',
    enabled: (s) => s.finetune.running,
    run: ({ state }) => state.cancelFinetune(),
  },
  {
    id: 'cancel-export',
    group: 'task',
    label: 'Cancel export',
    enabled: (s) => s.exportProgress !== undefined,
    run: ({ state }) => state.cancelExport(),
  },
  {
    id: 'export-mask',
    group: 'file',
    label: 'Export mask',
    shortcut: { key: 's', ctrl: true },
    enabled: (s) => exportablePhotos(s, 'photo').length > 0,
    run: ({ state }) => void state.exportMask(state.activePhotoId!),
  },
  // The export menu: every format for the whole set and for the active photo, and the trained head.
  ...EXPORT_FORMATS.flatMap((format): Command[] => [
    {
      id: `export-${format}`,
      group: 'file',
      menu: 'export',
      label: `${EXPORT_FORMAT_LABELS[format]} — all photos`,
      enabled: (s) => s.exportProgress === undefined && exportablePhotos(s, 'all').length > 0,
      run: ({ state }) => void state.exportSet(format, 'all'),
    },
    {
      id: `export-${format}-photo`,
      group: 'file',
      menu: 'export',
      label: `${EXPORT_FORMAT_LABELS[format]} — this photo`,
      enabled: (s) => s.exportProgress === undefined && exportablePhotos(s, 'photo').length > 0,
      run: ({ state }) => void state.exportSet(format, 'photo'),
    },
  ]),
  // The active photo's predicted depth (docs/depth.md), also offered by the Depth panel.
  {
    id: 'export-depth-photo',
    group: 'file',
    menu: 'export',
    label: 'Depth map (16-bit PNG, mm) — this photo',
    enabled: canExportDepth,
    run: ({ state }) => exportDepthPng(state),
  },
  {
    id: 'export-point-cloud-photo',
    group: 'file',
    menu: 'export',
    label: 'Point cloud (PLY) — this photo',
    enabled: canExportDepth,
    run: ({ state }) => exportPointCloud(state),
  },
  {
    id: 'depth-3d',
    group: 'view',
    label: '3D view',
    enabled: (s) => s.depthView || canExportDepth(s),
    active: (s) => s.depthView,
    run: ({ state }) => state.setDepthView(!state.depthView),
  },
  // A class from image-level tags (docs/weak.md): the active class, on the active photo.
  ...(['shows', 'lacks'] as const).map(
    (tag): Command => ({
      id: `tag-${tag}`,
      group: 'model',
      label: tag === 'shows' ? 'Tag: this photo shows the class' : 'Tag: this photo lacks the class',
      enabled: (s) => s.activePhotoId !== undefined && s.activeClass > 0,
      active: (s) => s.activePhotoId !== undefined && photoTag(s, s.activePhotoId, activeClassName(s)) === tag,
      run: ({ state: s }) => {
        if (!s.activePhotoId) return;
        const name = activeClassName(s);
        s.setPhotoTag(s.activePhotoId, name, photoTag(s, s.activePhotoId, name) === tag ? undefined : tag);
      },
    }),
  ),
  {
    id: 'train-tag-class',
    group: 'model',
    label: 'Learn the class from its tags',
    enabled: (s) => {
      if (s.activeClass <= 0 || s.tagTraining || s.model.status !== 'ready') return false;
      const { shows, lacks } = taggedPhotos(s, activeClassName(s));
      return shows.length > 0 && lacks.length > 0;
    },
    run: ({ state }) => void state.trainTagClass(activeClassName(state)),
  },
  {
    id: 'forget-tag-class',
    group: 'model',
    label: 'Forget what the class learnt from tags',
    enabled: (s) => !s.tagTraining && s.tagClasses[activeClassName(s)] !== undefined,
    run: ({ state }) => void state.forgetTagClass(activeClassName(state)),
  },
  // The user's own RGB-D pairs (docs/depth.md): a measurement per photo, and the depth regression fine-tuned on them.
  { id: 'load-measured-depth', group: 'model', label: 'Load measured depth…', enabled: hasPhoto, run: (c) => c.openMeasuredDepthPicker?.() },
  {
    id: 'remove-measured-depth',
    group: 'model',
    label: 'Remove measured depth',
    enabled: (s) => s.activePhotoId !== undefined && s.measuredDepth[s.activePhotoId] !== undefined,
    run: ({ state }) => {
      if (state.activePhotoId) state.removeMeasuredDepth(state.activePhotoId);
    },
  },
  {
    id: 'finetune-depth',
    group: 'model',
    label: 'Fine-tune depth on measured photos',
    enabled: (s) => !s.depthTuning.running && s.model.status === 'ready' && s.photos.some((p) => s.measuredDepth[p.id]),
    run: ({ state }) => void state.fineTuneDepth(),
  },
  {
    id: 'reset-depth-model',
    group: 'model',
    label: 'Reset depth model',
    enabled: (s) => !s.depthTuning.running && s.tunedDepth !== undefined,
    run: ({ state }) => void state.resetDepthModel(),
  },
  {
    id: 'export-depth-model',
    group: 'file',
    menu: 'export',
    label: 'Fine-tuned depth model (for cli depth --model)',
    enabled: (s) => s.tunedDepth !== undefined,
    run: ({ state }) => state.exportDepthModel(),
  },
  {
    id: 'export-head',
    group: 'file',
    menu: 'export',
    label: 'Trained head (for cli --head)',
    enabled: (s) => Object.keys(s.segmentations).length > 0,
    run: ({ state }) => void state.exportHead(),
  },
  ...(['pan', 'brush', 'eraser'] as const).map(
    (tool, i): Command => ({
      id: `tool-${tool}`,
      group: 'tool',
      label: tool[0].toUpperCase() + tool.slice(1),
      shortcut: { key: ['v', 'b', 'e'][i] },
      enabled: hasPhoto,
      active: (s) => s.tool === tool,
      run: ({ state }) => state.setTool(tool),
    }),
  ),
  {
    id: 'train-on-ground-truth',
    group: 'tool',
    label: 'Train on ground truth',
    enabled: (s) => s.trainOnGroundTruth || Object.keys(s.groundTruth).length > 0,
    active: (s) => s.trainOnGroundTruth,
    run: ({ state }) => state.setTrainOnGroundTruth(!state.trainOnGroundTruth),
  },
  {
    // Thesis §3.5: the head labels the stride-4 grid's hypercolumns, every pixel on its own, not superpixels.
    id: 'pixel-mode',
    group: 'tool',
    label: 'Pixel mode',
    enabled: () => true,
    active: (s) => s.segmentationMode === 'pixel',
    run: ({ state }) => state.setSegmentationMode(state.segmentationMode === 'pixel' ? 'superpixel' : 'pixel'),
  },
  {
    id: 'finetune-backbone',
    group: 'model',
    label: 'Fine-tune backbone',
    enabled: canFinetune,
    run: ({ state }) => void state.runFinetune(),
  },
  {
    id: 'reset-backbone',
    group: 'model',
    label: 'Reset backbone to pretrained',
    enabled: (s) => !s.finetune.running && s.finetune.result !== undefined,
    run: ({ state }) => void state.resetFinetune(),
  },
  {
    id: 'refine-edges',
    group: 'tool',
    label: 'Refine edges',
    shortcut: { key: 'g' },
    enabled: () => true,
    active: (s) => s.crf,
    run: ({ state }) => state.setCrf(!state.crf),
  },
  {
    // Label-space search (thesis Fig. 5.7): a tool, so each click on the photo searches from the region under it.
    id: 'find-similar',
    group: 'tool',
    label: 'Find similar regions',
    enabled: (s) => s.activePhotoId !== undefined && s.segmentations[s.activePhotoId] !== undefined,
    active: (s) => s.tool === FIND_SIMILAR_TOOL,
    run: ({ state }) => state.setTool(FIND_SIMILAR_TOOL),
  },
  { id: 'brush-smaller', group: 'tool', label: 'Smaller brush', shortcut: { key: ',' }, repeats: true, enabled: () => true, run: ({ state }) => state.setBrushRadius(Math.floor(state.brushRadius / 1.5)) },
  { id: 'brush-larger', group: 'tool', label: 'Larger brush', shortcut: { key: '.' }, repeats: true, enabled: () => true, run: ({ state }) => state.setBrushRadius(Math.ceil(Math.max(1, state.brushRadius) * 1.5)) },
  // Keys 0–9 pick the first ten classes (0 is background in both presets), by the digit typed: with or without
  // Shift (AZERTY types digits with Shift), top row or numpad.
  ...Array.from(
    { length: 10 },
    (_, i): Command => ({
      id: `class-${i}`,
      group: 'class',
      label: `Paint class ${i}`,
      shortcut: { key: String(i) },
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
      // By position: Shift+1 … Shift+8 type different characters on each layout (see Shortcut).
      shortcut: { code: `Digit${i + 1}`, shift: true },
      enabled: () => true,
      active: (s) => s.levels[level],
      run: ({ state }) => state.toggleLevel(level),
    }),
  ),
];

const GLYPHS: Record<string, string> = { '-': '−', Escape: 'Esc' };
const isLatinLetter = (k: string) => /^[a-z]$/i.test(k);

/** How a shortcut reads in tooltips and help: Ctrl+Shift+Z, +, −, Shift+1, Esc. */
export function shortcutLabel(s: Shortcut): string {
  const key = s.code !== undefined ? s.code.replace(/^Key|^Digit/, '') : (GLYPHS[s.key] ?? (isLatinLetter(s.key) ? s.key.toUpperCase() : s.key));
  return `${s.ctrl ? 'Ctrl+' : ''}${s.alt ? 'Alt+' : ''}${s.shift ? 'Shift+' : ''}${key}`;
}

export type KeyEvent = Pick<KeyboardEvent, 'key' | 'code' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

/** The character a key event typed; a letter from a non-Latin layout reads as the Latin letter at its position. */
function typedKey(e: KeyEvent): string {
  if (/^\p{L}$/u.test(e.key) && !isLatinLetter(e.key)) {
    const latin = /^Key([A-Z])$/.exec(e.code);
    if (latin) return latin[1].toLowerCase();
  }
  return e.key;
}

function matches(s: Shortcut, e: KeyEvent): boolean {
  const ctrl = e.ctrlKey || e.metaKey;
  if (s.code !== undefined) return e.code === s.code && ctrl === !!s.ctrl && e.shiftKey === !!s.shift && e.altKey === !!s.alt;
  const key = typedKey(e);
  if (isLatinLetter(s.key) || key.length !== 1) {
    const same = isLatinLetter(s.key) ? key.toLowerCase() === s.key.toLowerCase() : key === s.key;
    return same && ctrl === !!s.ctrl && e.shiftKey === !!s.shift && e.altKey === !!s.alt;
  }
  // A symbol or digit: Shift and Alt may be what types it; Ctrl+Alt is AltGr on Windows.
  const altGr = e.ctrlKey && e.altKey && !e.metaKey;
  return key === s.key && (altGr ? false : ctrl) === !!s.ctrl;
}

const shortcutsOf = (c: Command): Shortcut[] => (c.shortcut ? [c.shortcut, ...(c.alternatives ?? [])] : []);

/** The command a key press runs: a match by the typed character first, then one by position (see Shortcut). */
export function commandForKey(e: KeyEvent): Command | undefined {
  const by = (kind: 'key' | 'code') => commands.find((c) => shortcutsOf(c).some((s) => s[kind] !== undefined && matches(s, e)));
  return by('key') ?? by('code');
}
