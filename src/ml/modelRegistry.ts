// Every model the studio runs — the backbone today; depth and the label autoencoder (thesis ch. 5) next — is
// one registry entry: an id, its files under models/ with their sha256 (from its manifest), and how to build
// it from the verified bytes. Entries load lazily, once, each with its own progress and status, so the
// worker, the CLI and the tests load every model the same way; switching backend unloads them all.

/** Reads one file of models/ (`path` relative to it): fetched in the browser, read from disk in Node. */
export type ModelFileSource = (path: string, onProgress: (fraction: number) => void) => Promise<ArrayBuffer>;

export interface ModelEntry<T> {
  id: string;
  name: string;
  /** Files relative to models/ → their sha256 (hex). */
  files: Record<string, string>;
  build(files: Record<string, ArrayBuffer>): Promise<T>;
  dispose(model: T): void;
  /** How many tensors the built model holds (the worker's memory report separates them from a leak). */
  tensors(model: T): number;
}

export interface ModelStatus {
  id: string;
  name: string;
  state: 'idle' | 'loading' | 'ready' | 'error';
  /** 0..1 while loading. */
  fraction?: number;
  error?: string;
  /** Bytes of its files, once loaded. */
  bytes?: number;
}

/** SHA-256 of the bytes, hex (how manifests and head files name a weights file). */
export async function sha256Hex(bytes: ArrayBuffer): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Throws a message for the user when `bytes` is not the file the manifest names. */
export async function verifyModelFile(path: string, bytes: ArrayBuffer, expected: string): Promise<void> {
  const got = await sha256Hex(bytes);
  if (got !== expected) {
    throw new Error(`${path} is corrupted or from another version (sha256 ${got.slice(0, 12)}…, expected ${expected.slice(0, 12)}…): reinstall with npm ci or run npm run models`);
  }
}

interface Slot {
  entry: ModelEntry<unknown>;
  status: ModelStatus;
  loading?: Promise<unknown>;
  model?: unknown;
}

export class ModelRegistry {
  private readonly slots = new Map<string, Slot>();

  constructor(
    private readonly source: ModelFileSource,
    private readonly onStatus: (status: ModelStatus) => void = () => undefined,
  ) {}

  register<T>(entry: ModelEntry<T>): this {
    if (this.slots.has(entry.id)) throw new Error(`model ${entry.id} is registered twice`);
    this.slots.set(entry.id, { entry: entry as ModelEntry<unknown>, status: { id: entry.id, name: entry.name, state: 'idle' } });
    return this;
  }

  statuses(): ModelStatus[] {
    return [...this.slots.values()].map((s) => s.status);
  }

  /** The model if it is loaded, else undefined (never starts a load). */
  loaded<T>(id: string): T | undefined {
    return this.slot(id).model as T | undefined;
  }

  /** The model, loading it first if needed; concurrent calls share one load. A failed load can be retried. */
  load<T>(id: string, onProgress?: (fraction: number) => void): Promise<T> {
    const slot = this.slot(id);
    if (slot.model !== undefined) return Promise.resolve(slot.model as T);
    slot.loading ??= this.fetchAndBuild(slot, onProgress).finally(() => (slot.loading = undefined));
    return slot.loading as Promise<T>;
  }

  /** Tensors the loaded models hold. */
  tensors(): number {
    let n = 0;
    for (const { entry, model } of this.slots.values()) if (model !== undefined) n += entry.tensors(model);
    return n;
  }

  /** Disposes one model if loaded (a fine-tuned one reset to its files); the next `load` builds it afresh. */
  unload(id: string): void {
    const slot = this.slot(id);
    if (slot.model !== undefined) slot.entry.dispose(slot.model);
    slot.model = undefined;
    this.setStatus(slot, { state: 'idle', fraction: undefined, error: undefined, bytes: undefined });
  }

  /** Disposes every loaded model (their tensors belong to the backend being left). */
  unloadAll(): void {
    for (const id of this.slots.keys()) this.unload(id);
  }

  private slot(id: string): Slot {
    const slot = this.slots.get(id);
    if (!slot) throw new Error(`no model ${id} is registered`);
    return slot;
  }

  private setStatus(slot: Slot, patch: Partial<ModelStatus>): void {
    slot.status = { ...slot.status, ...patch };
    this.onStatus(slot.status);
  }

  private async fetchAndBuild(slot: Slot, onProgress?: (fraction: number) => void): Promise<unknown> {
    const paths = Object.keys(slot.entry.files);
    const done = new Array<number>(paths.length).fill(0);
    const report = (i: number, f: number) => {
      done[i] = f;
      const fraction = done.reduce((a, b) => a + b, 0) / paths.length;
      onProgress?.(fraction);
      this.setStatus(slot, { fraction });
    };
    this.setStatus(slot, { state: 'loading', fraction: 0, error: undefined });
    try {
      const bytes = await Promise.all(paths.map((p, i) => this.source(p, (f) => report(i, f))));
      await Promise.all(paths.map((p, i) => verifyModelFile(p, bytes[i], slot.entry.files[p])));
      const model = await slot.entry.build(Object.fromEntries(paths.map((p, i) => [p, bytes[i]])));
      slot.model = model;
      this.setStatus(slot, { state: 'ready', fraction: undefined, bytes: bytes.reduce((n, b) => n + b.byteLength, 0) });
      return model;
    } catch (err) {
      this.setStatus(slot, { state: 'error', fraction: undefined, error: (err as Error).message });
      throw err;
    }
  }
}
