// A new class on the fly, from image-level tags (thesis §4.3.1, "adding new classes on the fly"; docs/weak.md):
// the user names a class (the label editor), tags open photos as showing it or not, and trains that class's
// localization net alone; its map then feeds the suggested points as the detector's maps do for COCO's classes,
// and the photos are segmented again. Tags are the user's work: saved per photo and undoable. Trained nets are
// saved with the project and handed to the worker at every model load; forgetting one is one click.
import type { StateCreator } from 'zustand';
import { fileStem } from '../core/fileNames.ts';
import { parseImageTags } from '../core/imageTags.ts';
import { validateTagClassNet, type SavedTagClassNet } from '../ml/tagClassNet.ts';
import { isCancelled } from '../worker/client.ts';
import type { SuggestionSettings } from '../worker/segmentationProtocol.ts';
import { editKind } from './historySlice.ts';
import { persistPart, persistPhotoPart } from './persistence.ts';
import { analysedAgain } from './analysedAgain.ts';
import { WorkerHoldings } from './workerHoldings.ts';
import type { StudioState } from './studioStore.ts';
import { studioWorker } from './worker.ts';

/** Class names a photo is tagged with: shown in it, or not. */
export interface PhotoTags {
  shows: string[];
  lacks: string[];
}

export type Tag = 'shows' | 'lacks';

export interface TagClass {
  net: SavedTagClassNet;
  /** How many photos it learnt from, each way. */
  shows: number;
  lacks: number;
  losses: number[];
  /** When it was trained (also the version its suggestions are cached by). */
  at: string;
}

export interface TagClassSlice {
  photoTags: Record<string, PhotoTags>;
  tagClasses: Record<string, TagClass>;
  tagTraining?: { name: string; message: string; fraction?: number };
  /** Tags (or untags) a photo with a class; undoable. */
  setPhotoTag(photoId: string, className: string, tag: Tag | undefined): void;
  /** Trains the class's net on the photos tagged with it; no other class's net changes. */
  trainTagClass(className: string): Promise<void>;
  forgetTagClass(className: string): Promise<void>;
  /**
   * Tags every open photo a tags JSON names (image stem → the class names it shows, as `cli segment --tags`
   * reads) as showing those classes and lacking the label set's others, as one undoable edit. False when the
   * JSON is not tags (a COCO file); true when it was (imported, or a message says why not).
   */
  importTagsFile(file: Blob & { name?: string }): Promise<boolean>;
}

/** Whether parsed JSON is a tags file: an object of name lists (COCO's instances file has images and annotations). */
export function looksLikeTags(json: unknown): json is Record<string, string[]> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  if (['images', 'annotations', 'categories'].some((k) => k in json)) return false;
  const values = Object.values(json);
  return values.length > 0 && values.every((v) => Array.isArray(v) && v.every((n) => typeof n === 'string'));
}

export function photoTag(s: Pick<StudioState, 'photoTags'>, photoId: string, className: string): Tag | undefined {
  const t = s.photoTags[photoId];
  return t?.shows.includes(className) ? 'shows' : t?.lacks.includes(className) ? 'lacks' : undefined;
}

/** Photo ids tagged with the class, each way, in the set's order. */
export function taggedPhotos(s: Pick<StudioState, 'photos' | 'photoTags'>, className: string): Record<Tag, string[]> {
  const out: Record<Tag, string[]> = { shows: [], lacks: [] };
  for (const p of s.photos) {
    const tag = photoTag(s, p.id, className);
    if (tag) out[tag].push(p.id);
  }
  return out;
}

/** The tag-trained classes a segmentation or sampling request uses: those of the label set with a net. */
export function tagClassSettings(s: Pick<StudioState, 'photos' | 'photoTags' | 'tagClasses' | 'labelSet'>): SuggestionSettings['tagClasses'] {
  return Object.entries(s.tagClasses)
    .filter(([name]) => s.labelSet.classes.some((c, i) => i > 0 && c.name === name))
    .map(([name, t]) => ({ name, version: t.at, lacks: taggedPhotos(s, name).lacks }));
}

function validatePhotoTags(v: unknown): PhotoTags {
  const t = v as Partial<PhotoTags>;
  const names = (a: unknown) => Array.isArray(a) && a.every((n) => typeof n === 'string');
  if (!names(t?.shows) || !names(t?.lacks)) throw new Error('not a photo’s tags');
  return { shows: t.shows!, lacks: t.lacks! };
}

function validateTagClasses(v: unknown): Record<string, TagClass> {
  if (typeof v !== 'object' || v === null) throw new Error('not tag-trained classes');
  const out: Record<string, TagClass> = {};
  for (const [name, t] of Object.entries(v as Record<string, Partial<TagClass>>)) {
    if (!Number.isInteger(t?.shows) || !Number.isInteger(t?.lacks) || !Array.isArray(t?.losses) || typeof t?.at !== 'string') throw new Error(`damaged tag-trained class ${name}`);
    out[name] = { net: validateTagClassNet(t.net), shows: t.shows!, lacks: t.lacks!, losses: t.losses!, at: t.at! };
  }
  return out;
}

export const createTagClassSlice: StateCreator<StudioState, [], [], TagClassSlice> = (set, get, api) => {
  const putTag = (photoId: string, className: string, tag: Tag | undefined) =>
    set((s) => {
      const now = s.photoTags[photoId] ?? { shows: [], lacks: [] };
      const next = { shows: now.shows.filter((n) => n !== className), lacks: now.lacks.filter((n) => n !== className) };
      if (tag) next[tag] = [...next[tag], className];
      const photoTags = { ...s.photoTags };
      if (next.shows.length || next.lacks.length) photoTags[photoId] = next;
      else delete photoTags[photoId];
      return { photoTags };
    });
  const retag = (photoId: string, className: string, tag: Tag | undefined) => {
    putTag(photoId, className, tag);
    // A photo tagged as lacking a learnt class loses that class's suggestions (and regains them untagged).
    if (get().tagClasses[className]) get().scheduleSegmentation();
  };
  const putAll = (byPhoto: Record<string, PhotoTags | undefined>) => {
    set((s) => {
      const photoTags = { ...s.photoTags };
      for (const [id, tags] of Object.entries(byPhoto)) {
        if (tags) photoTags[id] = tags;
        else delete photoTags[id];
      }
      return { photoTags };
    });
    if (Object.keys(get().tagClasses).length) get().scheduleSegmentation();
  };
  const importEdit = editKind<{ name: string; after: Record<string, PhotoTags>; before: Record<string, PhotoTags | undefined> }>('import-tags', ({ name, after, before }) => ({
    label: `tags from ${name}`,
    apply: () => putAll(after),
    revert: () => putAll(before),
  }));
  const tagEdit = editKind<{ photoId: string; className: string; tag?: Tag; before?: Tag }>('photo-tag', ({ photoId, className, tag, before }) => ({
    label: tag ? `tag: ${tag === 'shows' ? 'shows' : 'lacks'} ${className}` : `untag ${className}`,
    apply: () => retag(photoId, className, tag),
    revert: () => retag(photoId, className, before),
  }));

  const sendNets = (tagClasses: Record<string, TagClass>) => studioWorker().request('tag-class-nets', { nets: Object.fromEntries(Object.entries(tagClasses).map(([name, t]) => [name, t.net])) });

  // The worker keeps each tagged photo's features, handed over once its superpixels and analysis are there.
  const holdings = new WorkerHoldings<number>((a, b) => a === b);
  const hold = (s: StudioState, id: string) => {
    const superpixels = s.superpixels[id];
    // Held already for this map: not sent again, even when a later hand-over failed and forgot what was asked
    // (sending again keeps a second copy of the features: e2e/tagClass.spec.ts counts the worker's tensors).
    if (!superpixels || !s.photos.find((p) => p.id === id)?.analysis || holdings.heldAs(id) === superpixels.mapId) return;
    holdings.handOver(id, superpixels.mapId, () => studioWorker().request('tag-photo', { photoId: id }))?.catch(() => undefined);
  };

  /** Tags and nets follow a class renamed in the label editor (or its rename undone): they are kept by name. */
  const followRenames = (s: StudioState, prev: StudioState) => {
    if (s.labelSet === prev.labelSet || s.labelSet.classes.length !== prev.labelSet.classes.length) return;
    const renamed = new Map<string, string>();
    prev.labelSet.classes.forEach((c, i) => {
      if (c.name !== s.labelSet.classes[i].name) renamed.set(c.name, s.labelSet.classes[i].name);
    });
    if (renamed.size === 0) return;
    const rename = (n: string) => renamed.get(n) ?? n;
    const retagged = Object.values(s.photoTags).some((t) => [...t.shows, ...t.lacks].some((n) => renamed.has(n)));
    const moved = Object.keys(s.tagClasses).some((n) => renamed.has(n));
    if (!retagged && !moved) return;
    const photoTags = Object.fromEntries(Object.entries(s.photoTags).map(([id, t]) => [id, { shows: t.shows.map(rename), lacks: t.lacks.map(rename) }]));
    const tagClasses = Object.fromEntries(Object.entries(s.tagClasses).map(([name, t]) => [rename(name), t]));
    set({ ...(retagged ? { photoTags } : {}), ...(moved ? { tagClasses } : {}) });
    if (moved) void sendNets(tagClasses).catch((err: Error) => get().notify('error', `the tag-trained classes could not be renamed: ${err.message}`));
  };

  api.subscribe((s, prev) => {
    followRenames(s, prev);
    for (const id of Object.keys(prev.photoTags)) {
      if (s.photoTags[id]) continue;
      holdings.forget(id);
      void studioWorker()
        .request('untag-photo', { photoId: id })
        .catch(() => undefined);
    }
    if (s.model.status === 'ready' && prev.model.status !== 'ready') {
      holdings.clear();
      if (Object.keys(s.tagClasses).length) void sendNets(s.tagClasses).catch((err: Error) => get().notify('error', `the tag-trained classes could not be loaded: ${err.message}`));
    }
    if (s.photoTags !== prev.photoTags || s.superpixels !== prev.superpixels || s.photos !== prev.photos) {
      for (const id of Object.keys(s.photoTags)) hold(s, id);
    }
  });

  persistPhotoPart<PhotoTags>({
    key: 'tags',
    select: (s, id) => s.photoTags[id],
    validate: validatePhotoTags,
    restore: (byPhoto) => set((s) => ({ photoTags: { ...s.photoTags, ...byPhoto } })),
  });

  persistPart<Record<string, TagClass>>({
    key: 'tagClasses',
    select: (s) => s.tagClasses,
    validate: validateTagClasses,
    // The worker gets the nets before the store shows them, so no suggestion is sampled from stale ones.
    restore: (tagClasses) => {
      if (get().tagClasses === tagClasses) return;
      const apply = () => {
        set({ tagClasses });
        get().scheduleSegmentation();
      };
      if (get().model.status !== 'ready') return set({ tagClasses });
      sendNets(tagClasses).then(apply, (err: Error) => get().notify('error', `the tag-trained classes could not be loaded: ${err.message}`));
    },
  });

  return {
    photoTags: {},
    tagClasses: {},

    setPhotoTag(photoId, className, tag) {
      const before = photoTag(get(), photoId, className);
      if (before === tag || !get().photos.some((p) => p.id === photoId)) return;
      get().record(tagEdit({ photoId, className, tag, before }));
    },

    async trainTagClass(className) {
      if (get().tagTraining || get().model.status !== 'ready') return;
      const { shows, lacks } = taggedPhotos(get(), className);
      if (shows.length === 0 || lacks.length === 0) {
        get().notify('error', `${className}: tag at least one photo as showing it and one as not`);
        return;
      }
      set({ tagTraining: { name: className, message: 'gathering the tagged photos' } });
      try {
        // Photos tagged before a reload are not in the worker yet: analysed once, their features go over.
        await analysedAgain(api, [...shows, ...lacks], (id) => holdings.heldAs(id) !== undefined);
        const result = await studioWorker().request(
          'train-tag-class',
          { name: className, shows, lacks },
          { onProgress: (p) => set({ tagTraining: { name: className, message: p.message, fraction: p.fraction } }) },
        );
        const trained: TagClass = { net: result.net, shows: result.shows.length, lacks: result.lacks.length, losses: result.losses, at: new Date().toISOString() };
        set((s) => ({ tagClasses: { ...s.tagClasses, [className]: trained }, tagTraining: undefined }));
        const missing = result.missing.map((id) => get().photos.find((p) => p.id === id)?.name ?? id);
        get().notify(
          'info',
          `${className}: learnt from ${trained.shows} photos showing it and ${trained.lacks} without it (${(result.ms / 1000).toFixed(1)} s, loss ${result.losses[0]?.toFixed(2)} → ${result.losses.at(-1)?.toFixed(2)})${missing.length ? `; not used, open them once first: ${missing.slice(0, 5).join(', ')}` : ''}`,
        );
        get().scheduleSegmentation();
      } catch (err) {
        set({ tagTraining: undefined });
        if (!isCancelled(err)) get().notify('error', `${className} from tags: ${(err as Error).message}`);
      }
    },

    async importTagsFile(file) {
      const name = file.name || 'tags JSON';
      let json: unknown;
      try {
        json = JSON.parse(await file.text());
      } catch {
        return false;
      }
      if (!looksLikeTags(json)) return false;
      const s = get();
      let parsed;
      try {
        parsed = parseImageTags(json, s.labelSet);
      } catch (err) {
        get().notify('error', `${name}: ${(err as Error).message}`);
        return true;
      }
      const stems = new Map([...parsed.keys()].map((k) => [k.toLowerCase(), k]));
      const after: Record<string, PhotoTags> = {};
      for (const p of s.photos) {
        const key = stems.get(fileStem(p.name).toLowerCase());
        if (key === undefined) continue;
        const shown = parsed.get(key)!;
        const names = s.labelSet.classes.map((c) => c.name);
        after[p.id] = { shows: names.filter((_, i) => i > 0 && shown.has(i)), lacks: names.filter((_, i) => i > 0 && !shown.has(i)) };
      }
      const ids = Object.keys(after);
      if (ids.length === 0) {
        get().notify('error', `${name}: tags for ${parsed.size} images, none of them an open photo (matched by name stem)`);
        return true;
      }
      get().record(importEdit({ name, after, before: Object.fromEntries(ids.map((id) => [id, s.photoTags[id]])) }));
      get().notify('info', `${name}: tags for ${ids.length} of ${s.photos.length} open photos (each shows its listed classes and lacks the others)`);
      return true;
    },

    async forgetTagClass(className) {
      if (!get().tagClasses[className] || get().tagTraining) return;
      const rest = { ...get().tagClasses };
      delete rest[className];
      try {
        await sendNets(rest);
        set({ tagClasses: rest });
        get().scheduleSegmentation();
      } catch (err) {
        get().notify('error', `${className}: the tag-trained net could not be dropped (${(err as Error).message})`);
      }
    },
  };
};
