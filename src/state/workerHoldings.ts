// What the worker holds of each photo beyond its photo cache (measured depth, a tagged photo's features): the
// store hands a part over once per token (the superpixel map and whatever else the part depends on) and knows,
// from the worker's answers, which photos are held — so a task can ask only for the photos that are missing.
export class WorkerHoldings<T> {
  private readonly asked = new Map<string, T>();
  private readonly held = new Map<string, T>();

  constructor(private readonly same: (a: T, b: T) => boolean) {}

  /** Sends the part unless the same token was already asked for; undefined when nothing was sent. */
  handOver<R>(photoId: string, token: T, send: () => Promise<R>): Promise<R> | undefined {
    const last = this.asked.get(photoId);
    if (last !== undefined && this.same(last, token)) return undefined;
    this.asked.set(photoId, token);
    return send().then(
      (result) => {
        this.held.set(photoId, token);
        return result;
      },
      (err: unknown) => {
        this.asked.delete(photoId);
        throw err;
      },
    );
  }

  /** The token of what the worker last confirmed holding for the photo. */
  heldAs(photoId: string): T | undefined {
    return this.held.get(photoId);
  }

  forget(photoId: string): void {
    this.asked.delete(photoId);
    this.held.delete(photoId);
  }

  /** The worker started afresh (a model load): it holds nothing. */
  clear(): void {
    this.asked.clear();
    this.held.clear();
  }
}
