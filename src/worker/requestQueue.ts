// The worker's request queue: one job at a time (tfjs work is single-threaded anyway, and ordering keeps the
// caches consistent). Background jobs (previews nobody waits on: depth, edge refinement) run only once no
// foreground job has come for `idleMs`: a result often makes the UI ask for the next step (analysis →
// segmentation), and a dropped photo's first segmentation must not queue behind its depth preview.
export type Job = () => Promise<void>;

export class RequestQueue {
  private readonly foreground: Job[] = [];
  private readonly background: Job[] = [];
  private running = false;
  private lastForeground = -Infinity;
  /** Ends the wait for a quiet moment early: a foreground job must not wait behind a background one's idle time. */
  private wake?: () => void;

  constructor(
    private readonly idleMs: number,
    /** Resolves before the first job runs (the worker's SLIC kernel). */
    private readonly ready: Promise<void> = Promise.resolve(),
    private readonly now: () => number = () => performance.now(),
  ) {}

  push(job: Job, background: boolean): void {
    if (background) this.background.push(job);
    else {
      this.foreground.push(job);
      this.lastForeground = this.now();
      this.wake?.();
    }
    void this.drain();
  }

  /**
   * Runs the foreground jobs waiting now, from inside a long job (fine-tuning, between its steps): a stroke's
   * labels need not wait for the whole run. Only the running job may call it.
   */
  async yieldToForeground(): Promise<void> {
    // A macrotask first: requests that arrived meanwhile are still message events, not yet in the queue.
    await new Promise((resolve) => setTimeout(resolve, 0));
    for (let job = this.foreground.shift(); job; job = this.foreground.shift()) {
      await job();
      this.lastForeground = this.now();
    }
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.ready;
    for (;;) {
      const job = this.foreground.shift();
      if (job) {
        await job();
        this.lastForeground = this.now();
        continue;
      }
      if (this.background.length === 0) break;
      const idle = this.now() - this.lastForeground;
      if (idle < this.idleMs) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.idleMs - idle);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      } else await this.background.shift()!();
    }
    this.running = false;
  }
}
