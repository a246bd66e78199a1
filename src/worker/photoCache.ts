// Per-photo results that stay inside the worker (backbone tensors on the backend), least recently used
// photos evicted so GPU/WASM memory stays bounded however many photos a project holds.
export class PhotoCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(
    private readonly capacity: number,
    private readonly release: (value: T, id: string) => void,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Every entry, least recently used first, without touching their order. */
  values(): IterableIterator<T> {
    return this.entries.values();
  }

  get(id: string): T | undefined {
    const v = this.entries.get(id);
    if (v !== undefined) {
      this.entries.delete(id);
      this.entries.set(id, v);
    }
    return v;
  }

  set(id: string, value: T): void {
    this.delete(id);
    this.entries.set(id, value);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
    }
  }

  delete(id: string): void {
    const v = this.entries.get(id);
    if (v === undefined) return;
    this.entries.delete(id);
    this.release(v, id);
  }

  clear(): void {
    for (const id of [...this.entries.keys()]) this.delete(id);
  }
}
