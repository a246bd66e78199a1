// A monkey: seeded random user actions (add good, odd and bad files, paint, erase, undo, redo, close and switch
// photos, switch label presets, drop masks, export masks, press shortcuts, reload) with the studio's invariants
// checked after every one of them:
// - no console error and no uncaught exception, no error message the action does not explain;
// - nothing of a closed photo anywhere: every per-photo record of the store belongs to an open photo, and once
//   autosave has settled IndexedDB holds exactly the in-memory document (the same photos, their parts, the
//   project-wide parts; no parts without their photo);
// - a reload brings back the document as it was before it;
// - an exported mask has its photo's original size and only classes of the label set.
// A failure names the seed and lists the actions so far; `npm run test:monkey -- --seed S --actions N` runs it
// again (scripts/monkey.ts). The default (2 seeds × 40 actions) runs with the other browser tests.
import { expect, test, type Page } from '@playwright/test';
import { decode } from 'fast-png';
import { readFileSync } from 'node:fs';
import { commands, type Command, type Shortcut } from '../src/state/commands.ts';
import { classMask, FileFactory, Rng } from './monkeyFiles.ts';
import { savedProject } from './savedProject.ts';
import { paint } from './studioPage.ts';

const SEEDS = (process.env.MONKEY_SEEDS ?? '1,2').split(',').map(Number);
const ACTIONS = Number(process.env.MONKEY_ACTIONS ?? 40);
/** Prints every action as it starts (MONKEY_VERBOSE=1). */
const VERBOSE = !!process.env.MONKEY_VERBOSE;
/** More photos than this and adding gets rarer: the run stays about actions, not analysis. */
const MANY_PHOTOS = 8;
/** How long autosave may take to reach IndexedDB, or a reload to bring the project back. */
const SETTLE_MS = 30_000;

/** A broken invariant: the run stops and reports it with the actions that led there. */
class Violation extends Error {}

/** The in-memory document and the saved one, canonical: keys sorted, typed arrays as {length, hash}. */
interface Snapshot {
  memory: Canonical;
  saved: Canonical;
  /** Per-photo keys of the store that name no open photo. */
  strays: string[];
  openIds: string[];
}

interface Canonical {
  parts: unknown;
  /** By photo id: the envelope (without the file) and its parts. */
  photos: Record<string, unknown>;
  /** Photo ids in list order (memory) or by `order` (saved). */
  order: string[];
  /** Saved only: `parts/<id>` records without a `photo/<id>`, and keys that are neither. */
  orphans?: string[];
}

/** FNV-1a of bytes: typed arrays are compared by length and hash, not element by element. */
function fnv(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

/** Keys sorted, undefined members left out, typed arrays as {typed, length, hash}. */
function canon(v: unknown): unknown {
  if (ArrayBuffer.isView(v)) {
    const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    return { typed: v.constructor.name, length: (v as unknown as { length: number }).length, hash: fnv(bytes) };
  }
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) if ((v as Record<string, unknown>)[k] !== undefined) out[k] = canon((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

/** Reads IndexedDB (savedProject), then the store through the debug handle, and makes both canonical. */
async function snapshot(page: Page): Promise<Snapshot> {
  const stored = await savedProject(page);
  // The store right after the database: a write landing in between shows as a difference, and the poll retries.
  const { doc, strays, openIds } = await page.evaluate(() => {
    const handle = window.__zoomoutStudio!;
    const s = handle.state();
    const openIds = s.photos.map((p) => p.id);
    const strays: string[] = [];
    for (const [name, record] of Object.entries({ strokes: s.strokes, groundTruth: s.groundTruth, segmentations: s.segmentations, superpixels: s.superpixels })) {
      for (const id of Object.keys(record)) if (!openIds.includes(id)) strays.push(`${name}.${id}`);
    }
    if (s.draft && !openIds.includes(s.draft.photoId)) strays.push(`draft.${s.draft.photoId}`);
    if (s.oracle && !openIds.includes(s.oracle.photoId)) strays.push(`oracle.${s.oracle.photoId}`);
    if (s.activePhotoId !== undefined && !openIds.includes(s.activePhotoId)) strays.push(`activePhotoId.${s.activePhotoId}`);
    return { doc: handle.document(), strays, openIds };
  });
  const memory: Canonical = { parts: canon(doc.parts), photos: {}, order: doc.photos.map((p) => p.id) };
  for (const p of doc.photos) memory.photos[p.id] = canon(p);
  const saved: Canonical = { parts: canon(stored.project), photos: {}, order: [], orphans: [] };
  for (const key of stored.keys) if (key !== 'project' && !key.startsWith('project/') && !key.startsWith('photo/') && !key.startsWith('parts/')) saved.orphans!.push(key);
  for (const id of Object.keys(stored.parts)) if (!stored.records[id]) saved.orphans!.push(`parts/${id}`);
  for (const [id, { envelope, fileSize }] of Object.entries(stored.records)) {
    if (fileSize === 0) saved.orphans!.push(`photo/${id} has no file`);
    saved.photos[id] = canon({ ...envelope, parts: stored.parts[id] ?? {} });
  }
  saved.order = Object.entries(stored.records)
    .sort(([, a], [, b]) => (a.envelope.order as number) - (b.envelope.order as number))
    .map(([id]) => id);
  return { memory, saved, strays, openIds };
}

/** Up to `limit` paths where `a` and `b` differ, with both values (shortened). */
function differences(a: unknown, b: unknown, path = '', out: string[] = [], limit = 8): string[] {
  if (out.length >= limit) return out;
  const short = (v: unknown) => (v === undefined ? 'undefined' : JSON.stringify(v).slice(0, 160));
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out, limit);
    return out;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path || '(root)'}: ${short(a)} ≠ ${short(b)}`);
  return out;
}

/** What is being compared in a snapshot: the memory's document vs the saved one. */
const savedDifferences = (s: Snapshot) => [
  ...differences({ parts: s.memory.parts, photos: s.memory.photos, order: s.memory.order }, { parts: s.saved.parts, photos: s.saved.photos, order: s.saved.order }),
  ...(s.saved.orphans ?? []).map((o) => `stray record in IndexedDB: ${o}`),
];

/** Error messages any action may legitimately cause; bad files are allowed by the action that adds them. */
const EXPECTED_ERRORS = [
  /^the COCO classes come with the model/,
  /^the classes were not switched/,
];

interface PhotoInfo {
  id: string;
  name: string;
  originalWidth: number;
  originalHeight: number;
  workingWidth: number;
  workingHeight: number;
  contentHash: string;
  status: string;
}

interface Brief {
  photos: PhotoInfo[];
  activePhotoId?: string;
  tool: string;
  classes: number;
  labelSetId: string;
  past: number;
  future: number;
  strokesOfActive: number;
  /** The active photo has a segmentation (perhaps for superpixels it no longer has). */
  exportable: boolean;
  /** …for its current superpixels: what an export needs, and when Export mask is enabled. */
  exportReady: boolean;
  modelStatus: string;
  groundTruth: Record<string, { name: string; width: number; height: number }>;
  messages: { id: number; level: string; text: string }[];
  /** What the studio is still busy with (model, analysis, superpixels, training); empty once it is idle. */
  busy: string[];
  training: boolean;
}

/** The part of the store the monkey decides by. */
function brief(page: Page): Promise<Brief> {
  return page.evaluate(() => {
    const s = window.__zoomoutStudio!.state();
    const active = s.activePhotoId;
    return {
      photos: s.photos.map((p) => ({
        id: p.id,
        name: p.name,
        originalWidth: p.originalWidth,
        originalHeight: p.originalHeight,
        workingWidth: p.working.width,
        workingHeight: p.working.height,
        contentHash: p.contentHash,
        status: p.status,
      })),
      activePhotoId: active,
      tool: s.tool,
      classes: s.labelSet.classes.length,
      labelSetId: s.labelSet.id,
      past: s.past.length,
      future: s.future.length,
      strokesOfActive: active ? (s.strokes[active]?.length ?? 0) : 0,
      exportable: active !== undefined && s.segmentations[active] !== undefined,
      exportReady: active !== undefined && s.segmentations[active] !== undefined && s.segmentations[active].mapId === s.superpixels[active]?.mapId,
      modelStatus: s.model.status,
      groundTruth: Object.fromEntries(Object.entries(s.groundTruth).map(([id, g]) => [id, { name: g.name, width: g.width, height: g.height }])),
      messages: s.messages.map((m) => ({ id: m.id, level: m.level, text: m.text })),
      busy: [
        ...(s.model.status === 'ready' || s.model.status === 'error' ? [] : [`model ${s.model.status}`]),
        ...s.photos.filter((p) => p.status === 'analysing').map((p) => `analysing ${p.name}`),
        ...(s.analysisProgress ? [`features ${s.analysisProgress.done} of ${s.analysisProgress.total}`] : []),
        ...(s.superpixelsPending ? ['superpixels'] : []),
        ...(s.training.running ? [`training (${s.training.progress ?? ''})`] : []),
      ],
      training: s.training.running,
    };
  });
}

/** Waits until the page has reopened the saved project (start-up loads the model only after that). */
async function waitForStart(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const h = window.__zoomoutStudio;
    return h !== undefined && h.state().model.status !== 'idle';
  });
}

/** Commands whose keys the monkey leaves to its own actions: the file picker ('add') and downloads ('export'). */
const NOT_PRESSED = new Set(['open', 'export-mask', 'export-project']);
/** Commands that may change which photos are open (close, undo/redo of a close). */
const PHOTO_COMMANDS = new Set(['remove-photo', 'undo', 'redo']);

/** A registry shortcut as Playwright names the keys: Shift+letter by position (KeyZ), since Shift changes the character. */
function playwrightKey(s: Shortcut): string {
  const key = s.code ?? (s.shift && /^[a-z]$/.test(s.key!) ? `Key${s.key!.toUpperCase()}` : s.key!);
  return [s.ctrl && 'Control', s.alt && 'Alt', s.shift && 'Shift', key].filter(Boolean).join('+');
}
const keysOf = (c: Command) => [c.shortcut, ...(c.alternatives ?? [])].filter((s): s is Shortcut => s !== undefined).map(playwrightKey);

/** Keys the monkey presses: every shortcut of the registry (src/state/commands.ts) but those above. */
const SHORTCUTS = commands.filter((c) => !NOT_PRESSED.has(c.id)).flatMap(keysOf);
const PHOTO_KEYS = new Set(commands.filter((c) => PHOTO_COMMANDS.has(c.id)).flatMap(keysOf));

type ActionKind =
  | 'add'
  | 'paint'
  | 'undo'
  | 'redo'
  | 'close'
  | 'switch'
  | 'preset'
  | 'mask'
  | 'export'
  | 'shortcut'
  | 'reload'
  | 'idle'
  | 'dismiss'
  | 'superpixels'
  | 'pickClass';

class Monkey {
  readonly log: string[] = [];
  private readonly files: FileFactory;
  private readonly rng: Rng;
  private consoleErrors: string[] = [];
  private seenMessages = new Set<number>();
  /** Error messages the current action may cause (a bad file's name …). */
  private allowedErrors: RegExp[] = [];
  /** A check of the current action that runs after the invariants (once autosave has settled). */
  private afterCheck: (() => Promise<void>) | undefined;

  constructor(
    private readonly page: Page,
    private readonly seed: number,
  ) {
    this.rng = new Rng(seed);
    this.files = new FileFactory(seed);
    page.on('console', (m) => {
      if (m.type() === 'error') this.consoleErrors.push(`console error: ${m.text()}`);
    });
    page.on('pageerror', (e) => this.consoleErrors.push(`uncaught: ${e.message}`));
    page.on('crash', () => this.consoleErrors.push('the page crashed'));
  }

  fail(what: string): never {
    throw new Violation(what);
  }

  report(err: unknown, n: number): string {
    const kind = err instanceof Violation ? 'violation' : 'error';
    return [
      `monkey seed ${this.seed}: ${kind} at action ${n}: ${(err as Error).message}`,
      `actions so far:`,
      ...this.log.map((a, i) => `  ${String(i + 1).padStart(3)}. ${a}`),
      `reproduce: npm run test:monkey -- --seed ${this.seed} --actions ${n}`,
    ].join('\n');
  }

  async run(actions: number): Promise<void> {
    await this.page.goto('/');
    await waitForStart(this.page);
    for (let n = 1; n <= actions; n++) {
      try {
        await this.step();
        await this.check();
      } catch (err) {
        const text = this.report(err, n);
        console.log(text);
        throw new Error(text, { cause: err });
      }
    }
  }

  private async step(): Promise<void> {
    const b = await brief(this.page);
    const count = b.photos.length;
    const kind = this.rng.weighted<ActionKind>({
      add: count === 0 ? 40 : count >= MANY_PHOTOS ? 2 : 10,
      paint: 25,
      undo: 9,
      redo: 6,
      close: 4,
      switch: 6,
      preset: 3,
      mask: 4,
      export: 4,
      shortcut: 14,
      reload: 5,
      idle: 4,
      dismiss: 2,
      superpixels: 2,
      pickClass: 2,
    });
    this.allowedErrors = [];
    this.afterCheck = undefined;
    await this[kind](b);
  }

  private note(text: string): void {
    this.log.push(text);
    if (VERBOSE) console.log(`  ${String(this.log.length).padStart(4)}. ${text}`);
  }

  // ---- actions ---------------------------------------------------------------------------------------------

  private async add(b: Brief): Promise<void> {
    const how = this.rng.weighted({ input: 6, picker: 2, drop: 2, sample: 2 });
    // The toolbar's sample list adds one sample; the other ways any mix of files.
    const files = how === 'sample' ? [this.files.sample(this.rng)] : Array.from({ length: this.rng.between(1, 3) }, () => this.files.next(this.rng));
    this.note(`add ${files.map((f) => `${f.name} (${f.kind})`).join(', ')} via ${how}`);
    const open = new Set(b.photos.map((p) => p.contentHash));
    let expected = 0;
    for (const f of files) {
      if (f.good && !open.has(f.hash)) {
        open.add(f.hash);
        expected++;
      }
      if (!f.good) this.allowedErrors.push(new RegExp(`^${f.name.replace(/\./g, '\\.')}: `));
    }
    const payload = files.map(({ name, mimeType, buffer }) => ({ name, mimeType, buffer }));
    if (how === 'input') await this.page.getByTestId('file-input').setInputFiles(payload);
    else if (how === 'sample') await this.page.getByTestId('sample-select').selectOption(files[0].name);
    else if (how === 'picker') {
      // 'o' is no shortcut while a field has the focus: a user lets go of it first (Escape).
      if (await this.page.evaluate(() => document.activeElement?.matches('input, select, textarea') ?? false)) await this.page.keyboard.press('Escape');
      const chooser = this.page.waitForEvent('filechooser', { timeout: 10_000 });
      await this.page.keyboard.press('o');
      await (await chooser).setFiles(payload);
    } else {
      const transfer = await this.page.evaluateHandle(
        (list) => {
          const dt = new DataTransfer();
          for (const f of list) dt.items.add(new File([Uint8Array.from(atob(f.b64), (c) => c.charCodeAt(0))], f.name, { type: f.mimeType }));
          return dt;
        },
        files.map((f) => ({ name: f.name, mimeType: f.mimeType, b64: f.buffer.toString('base64') })),
      );
      await this.page.getByTestId('app').dispatchEvent('drop', { dataTransfer: transfer });
      await transfer.dispose();
    }
    const want = b.photos.length + expected;
    await this.expectWithin(async () => (await brief(this.page)).photos.length, want, `${want} photos open after adding ${expected} new one(s)`);
    for (const f of files.filter((f) => !f.good)) {
      await this.expectWithin(
        async () => (await brief(this.page)).messages.some((m) => m.level === 'error' && m.text.startsWith(`${f.name}: `)),
        true,
        `an error message for ${f.name} (${f.kind})`,
      );
    }
  }

  private async paint(b: Brief): Promise<void> {
    const tool = this.rng.weighted({ brush: 6, eraser: 3, keep: 1 });
    const via = this.rng.chance(0.5) ? 'key' : 'button';
    if (tool !== 'keep') {
      if (via === 'key') await this.pressShortcut(tool === 'brush' ? 'b' : 'e');
      else await this.clickIfEnabled(`cmd-tool-${tool}`);
    }
    const points = Array.from({ length: this.rng.between(1, 5) }, (): [number, number] => [0.05 + 0.9 * this.rng.next(), 0.05 + 0.9 * this.rng.next()]);
    const photo = b.photos.find((p) => p.id === b.activePhotoId);
    const before = await brief(this.page);
    this.note(`paint with ${tool === 'keep' ? `the ${before.tool} tool` : `${tool} (${via})`} along ${points.map(([u, v]) => `${u.toFixed(2)},${v.toFixed(2)}`).join(' ')}`);
    const aspect = photo ? photo.workingWidth / photo.workingHeight : 1;
    // Messages sit over the bottom of the viewer: a stroke starting on one is no stroke.
    const onCanvas = await this.page.getByTestId('viewer-canvas').evaluate((c, [u, v, a]) => {
      const box = c.getBoundingClientRect();
      const scale = Math.min(box.width / a, box.height) * 0.95;
      const x = box.x + (box.width - scale * a) / 2 + u * scale * a;
      const y = box.y + (box.height - scale) / 2 + v * scale;
      return document.elementFromPoint(x, y) === c;
    }, [...points[0], aspect] as const);
    await paint(this.page, points, aspect);
    const painting = before.tool === 'brush' || before.tool === 'eraser';
    if (photo && painting && onCanvas) {
      await this.expectWithin(async () => (await brief(this.page)).strokesOfActive, before.strokesOfActive + 1, `the stroke on ${photo.name} is kept`);
    }
  }

  private async undo(): Promise<void> {
    const via = this.rng.pick(['button', 'key'] as const);
    this.note(`undo (${via})`);
    if (via === 'key') await this.pressShortcut('Control+z');
    else await this.clickIfEnabled('cmd-undo');
  }

  private async redo(): Promise<void> {
    const via = this.rng.pick(['button', 'Control+Shift+KeyZ', 'Control+y'] as const);
    this.note(`redo (${via})`);
    if (via === 'button') await this.clickIfEnabled('cmd-redo');
    else await this.pressShortcut(via);
  }

  private async close(b: Brief): Promise<void> {
    const via = this.rng.pick(['button', 'Delete'] as const);
    const photo = b.photos.find((p) => p.id === b.activePhotoId);
    this.note(`close ${photo?.name ?? '(no photo)'} (${via})`);
    if (via === 'button') await this.clickIfEnabled('cmd-remove-photo');
    else await this.pressShortcut('Delete');
    if (photo) await this.expectWithin(async () => (await brief(this.page)).photos.some((p) => p.id === photo.id), false, `${photo.name} closed`);
  }

  private async switch(b: Brief): Promise<void> {
    if (b.photos.length === 0 || this.rng.chance(0.4)) {
      const key = this.rng.pick(['[', ']']);
      this.note(`switch photo with '${key}'`);
      await this.pressShortcut(key);
      return;
    }
    const i = this.rng.int(b.photos.length);
    this.note(`switch to photo ${i + 1} (${b.photos[i].name})`);
    await this.page.getByTestId('photo-item').nth(i).click();
    await this.expectWithin(async () => (await brief(this.page)).activePhotoId, b.photos[i].id, `${b.photos[i].name} selected`);
  }

  private async preset(b: Brief): Promise<void> {
    const preset = this.rng.pick(['voc', 'coco'] as const);
    this.note(`switch the label set to ${preset.toUpperCase()} (from ${b.labelSetId})`);
    await this.page.getByTestId('label-preset').selectOption(preset);
  }

  private async mask(b: Brief): Promise<void> {
    if (b.photos.length === 0) {
      this.note('drop a mask (no photo open: skipped)');
      return;
    }
    const photo = this.rng.pick(b.photos);
    const stem = photo.name.replace(/\.[^.]*$/, '');
    const name = `${stem}${this.rng.pick(['_mask', '-gt', '_label', ''])}.png`;
    const buffer = classMask(this.rng, photo.originalWidth, photo.originalHeight, Math.min(21, b.classes));
    this.note(`drop mask ${name} (${photo.originalWidth}×${photo.originalHeight}) for ${photo.name}`);
    await this.page.getByTestId('file-input').setInputFiles({ name, mimeType: 'image/png', buffer });
    // Photos of the same stem and size (one added again after a close, then the close undone) may claim it.
    const stemOf = (n: string) => n.replace(/\.[^.]*$/, '').toLowerCase();
    const twins = b.photos.filter((p) => stemOf(p.name) === stem.toLowerCase() && p.originalWidth === photo.originalWidth && p.originalHeight === photo.originalHeight);
    await this.expectWithin(async () => (await this.claimedBy(twins, name)) !== undefined, true, `${name} is the ground truth of ${photo.name}`);
    const owner = (await this.claimedBy(twins, name))!;
    const gt = (await brief(this.page)).groundTruth[owner.id];
    if (gt.width !== owner.workingWidth || gt.height !== owner.workingHeight) this.fail(`ground truth of ${owner.name} is ${gt.width}×${gt.height}, its working copy ${owner.workingWidth}×${owner.workingHeight}`);
    expect((await brief(this.page)).photos.length, 'a mask never becomes a photo').toBe(b.photos.length);
  }

  private async export(b: Brief): Promise<void> {
    const photo = b.photos.find((p) => p.id === b.activePhotoId);
    const via = this.rng.pick(['button', 'Control+s'] as const);
    // Export mask is enabled once the active photo's labels are for its current superpixels.
    if (!photo || !b.exportReady) {
      this.note(`export mask (${via}; nothing to export${b.exportable ? ': the labels are for older superpixels' : ''})`);
      if (via === 'button') await this.clickIfEnabled('cmd-export-mask');
      else await this.pressShortcut(via);
      return;
    }
    this.note(`export the mask of ${photo.name} (${via})`);
    const download = this.page.waitForEvent('download', { timeout: 20_000 }).catch(() => undefined);
    if (via === 'button') await this.clickIfEnabled('cmd-export-mask');
    else await this.pressShortcut(via);
    const file = await download;
    if (!file) {
      // New superpixels (or a new analysis) may have landed between the look at the store and the click.
      if ((await brief(this.page)).exportReady) this.fail(`no download 20 s after exporting the mask of ${photo.name}`);
      this.log[this.log.length - 1] += ' — no download: its labels turned out to be for older superpixels';
      return;
    }
    const png = decode(readFileSync(await file.path()));
    if (png.width !== photo.originalWidth || png.height !== photo.originalHeight)
      this.fail(`the mask of ${photo.name} is ${png.width}×${png.height}, the photo ${photo.originalWidth}×${photo.originalHeight}`);
    const classes = (await brief(this.page)).classes;
    const bad = png.data.find((v) => v >= classes && v !== 255);
    if (bad !== undefined) this.fail(`the mask of ${photo.name} holds class ${bad}; the label set has ${classes}`);
    const stem = photo.name.replace(/\.[^./\\]*$/, '') || 'photo';
    if (file.suggestedFilename() !== `${stem}-mask.png`) this.fail(`the mask of ${photo.name} is named ${file.suggestedFilename()}`);
  }

  private async shortcut(b: Brief): Promise<void> {
    const key = this.rng.pick(SHORTCUTS);
    this.note(`press ${key}`);
    await this.pressShortcut(key);
    // The help overlay is modal: a user reads it and closes it before reaching for the panels again.
    if (await this.page.getByTestId('help-overlay').isVisible()) {
      this.note('close help (Escape)');
      await this.page.keyboard.press('Escape');
    }
    // Checked once autosave settled, so a photo the key would add (a dropdown's type-ahead) has arrived.
    if (!PHOTO_KEYS.has(key))
      this.afterCheck = async () => {
        const after = await brief(this.page);
        if (after.photos.length !== b.photos.length) this.fail(`pressing ${key} changed the photos from ${b.photos.length} to ${after.photos.length}`);
      };
  }

  private async reload(): Promise<void> {
    // Right after an edit, before autosave could settle, or after it has.
    const edit = this.rng.weighted({ none: 5, paint: 3, undo: 1, level: 1 });
    this.note(`reload${edit === 'none' ? '' : ` right after ${edit === 'level' ? 'a level toggle' : `a ${edit}`}`}`);
    if (edit === 'paint') {
        await this.clickIfEnabled('cmd-tool-brush');
      await paint(this.page, [
        [0.3 + 0.4 * this.rng.next(), 0.2 + 0.4 * this.rng.next()],
        [0.3 + 0.4 * this.rng.next(), 0.2 + 0.4 * this.rng.next()],
      ]);
    } else if (edit === 'undo') await this.pressShortcut('Control+z');
    else if (edit === 'level') await this.pressShortcut(`Shift+Digit${this.rng.between(1, 8)}`);
    const before = (await snapshot(this.page)).memory;
    await this.page.reload();
    this.seenMessages = new Set();
    await waitForStart(this.page);
    let last = before;
    try {
      await expect
        .poll(
          async () => {
            last = (await snapshot(this.page)).memory;
            return differences(before, last).length;
          },
          { timeout: SETTLE_MS },
        )
        .toBe(0);
    } catch {
      this.fail(`after the reload the document differs from before it:\n    ${differences(before, last).join('\n    ')}`);
    }
    await expect(this.page.getByTestId('photo-item')).toHaveCount(before.order.length);
  }

  private async idle(): Promise<void> {
    this.note('wait until the studio is idle (model, analysis, superpixels, training)');
    await this.expectWithin(async () => (await brief(this.page)).busy, [], 'the studio to settle (nothing busy)', 180_000);
  }

  private async dismiss(b: Brief): Promise<void> {
    const withAction = b.messages.filter((m) => m.level === 'info').length > 0 && this.rng.chance(0.5);
    const buttons = this.page.getByTestId(withAction ? 'message-action' : 'message-error');
    const n = await buttons.count();
    if (n === 0) {
      this.note('dismiss a message (none shown)');
      return;
    }
    const i = this.rng.int(n);
    this.note(withAction ? `click the action of message ${i + 1}` : `dismiss error message ${i + 1}`);
    if (withAction) await buttons.nth(i).click({ timeout: 2_000 }).catch(() => undefined);
    else await buttons.nth(i).getByRole('button', { name: 'Dismiss' }).click({ timeout: 2_000 }).catch(() => undefined);
  }

  private async superpixels(): Promise<void> {
    const k = this.rng.between(5, 200) * 10;
    this.note(`set superpixels k = ${k}`);
    await this.page.getByTestId('sp-k').fill(String(k));
    // The slider keeps the keys until let go of, as the docs say: Escape.
    await this.page.keyboard.press('Escape');
  }

  private async pickClass(b: Brief): Promise<void> {
    const i = this.rng.int(Math.min(b.classes, 25));
    this.note(`pick class ${i} in the legend`);
    await this.page.getByTestId(`class-${i}`).click();
  }

  // ---- helpers ---------------------------------------------------------------------------------------------

  /** The photo of `candidates` whose ground truth is now the mask `name`. */
  private async claimedBy(candidates: PhotoInfo[], name: string): Promise<PhotoInfo | undefined> {
    const gt = (await brief(this.page)).groundTruth;
    return candidates.find((p) => gt[p.id]?.name === name);
  }

  private async pressShortcut(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  /** Clicks a command button when it is enabled (a disabled one does nothing for a user either). */
  private async clickIfEnabled(testId: string): Promise<void> {
    const button = this.page.getByTestId(testId);
    if (await button.isEnabled()) await button.click();
  }

  private async expectWithin<T>(probe: () => Promise<T>, want: T, what: string, timeout = SETTLE_MS): Promise<void> {
    let last: T | undefined;
    try {
      await expect
        .poll(
          async () => {
            last = await probe();
            return last;
          },
          { timeout },
        )
        .toEqual(want);
    } catch {
      this.fail(`expected ${what}, but got ${JSON.stringify(last)} after ${timeout / 1000} s`);
    }
  }

  // ---- invariants ------------------------------------------------------------------------------------------

  private async check(): Promise<void> {
    let snap = await snapshot(this.page);
    if (snap.strays.length) this.fail(`the store keeps data of photos that are not open: ${snap.strays.join(', ')}`);
    try {
      await expect
        .poll(
          async () => {
            snap = await snapshot(this.page);
            return savedDifferences(snap).length;
          },
          { timeout: SETTLE_MS },
        )
        .toBe(0);
    } catch {
      this.fail(`IndexedDB does not hold the in-memory document after ${SETTLE_MS / 1000} s:\n    ${savedDifferences(snap).join('\n    ')}`);
    }
    // The same through the shared reader: saved photos are the open ones, every parts record has its photo.
    const saved = await savedProject(this.page);
    expect(new Set(saved.photos), 'saved photo ids').toEqual(new Set(snap.openIds));
    for (const id of Object.keys(saved.parts)) expect(saved.keys, `parts/${id} without its photo`).toContain(`photo/${id}`);
    if (snap.strays.length) this.fail(`the store keeps data of photos that are not open: ${snap.strays.join(', ')}`);
    const b = await brief(this.page);
    for (const m of b.messages) {
      if (this.seenMessages.has(m.id)) continue;
      this.seenMessages.add(m.id);
      if (m.level === 'error' && ![...EXPECTED_ERRORS, ...this.allowedErrors].some((re) => re.test(m.text))) this.fail(`unexpected error message: ${m.text}`);
    }
    if (this.consoleErrors.length) this.fail(this.consoleErrors.splice(0).join('\n'));
    const broken = await this.page.getByTestId('panel-error').allTextContents();
    if (broken.length) this.fail(`a panel broke: ${broken.join('; ')}`);
    await this.afterCheck?.();
  }
}

for (const seed of SEEDS) {
  test(`monkey: seed ${seed}, ${ACTIONS} random actions, invariants after each`, async ({ page }) => {
    test.setTimeout(120_000 + ACTIONS * 20_000);
    const started = Date.now();
    const monkey = new Monkey(page, seed);
    await monkey.run(ACTIONS);
    console.log(`monkey seed ${seed}: ${ACTIONS} actions, 0 violations, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  });
}
