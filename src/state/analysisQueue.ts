// The order the photos of a set are analysed in: the photo the user is looking at first, then the others in the
// order they were added, so opening photo 150 of a 200-photo drop waits for one backbone pass, not for 149
// (issue "The studio as a daily tool": 200 photos without slowing down). The sweep can be stopped; photos left
// waiting are analysed when opened.
export interface AnalysisProgress {
  done: number;
  total: number;
}

export class AnalysisQueue {
  private waiting: string[] = [];
  /** The photo taken and not yet finished. */
  private running?: string;
  private done = 0;
  private total = 0;

  /** Queues photos not already waiting or being analysed. */
  add(ids: readonly string[]): void {
    const known = new Set(this.waiting);
    if (this.running !== undefined) known.add(this.running);
    for (const id of ids) {
      if (known.has(id)) continue;
      known.add(id);
      this.waiting.push(id);
      this.total++;
    }
  }

  /** Takes the next photo: `preferred` when it waits, else the one queued first. */
  take(preferred?: string): string | undefined {
    const at = preferred === undefined ? -1 : this.waiting.indexOf(preferred);
    this.running = this.waiting.splice(Math.max(at, 0), 1)[0];
    return this.running;
  }

  /** A taken photo is analysed; once none waits, the count starts again from zero. */
  finished(): void {
    this.running = undefined;
    if (this.total === 0) return;
    this.done++;
    if (this.waiting.length === 0) this.done = this.total = 0;
  }

  /** Drops a photo (closed) from the queue. */
  remove(id: string): void {
    const at = this.waiting.indexOf(id);
    if (at < 0) return;
    this.waiting.splice(at, 1);
    this.total--;
    if (this.waiting.length === 0 && this.done >= this.total) this.done = this.total = 0;
  }

  /** Stops the sweep; returns the photos that were still waiting. */
  clear(): string[] {
    const left = this.waiting;
    this.waiting = [];
    this.done = this.total = 0;
    return left;
  }

  /** Photos analysed of those queued since the queue was last empty; undefined when nothing is queued. */
  get progress(): AnalysisProgress | undefined {
    return this.total === 0 ? undefined : { done: this.done, total: this.total };
  }
}
