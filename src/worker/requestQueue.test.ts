import { describe, expect, it } from 'vitest';
import { RequestQueue } from './requestQueue.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Jobs that log their name and fail if another job runs at the same time. */
function loggedJobs(): { log: string[]; job: (name: string) => () => Promise<void> } {
  const log: string[] = [];
  let inside = 0;
  const job = (name: string) => async () => {
    inside++;
    expect(inside).toBe(1);
    log.push(name);
    await tick(2);
    inside--;
  };
  return { log, job };
}

describe('RequestQueue', () => {
  it('runs jobs one at a time, foreground in order, after `ready`', async () => {
    let open!: () => void;
    const queue = new RequestQueue(0, new Promise<void>((resolve) => (open = resolve)));
    const { log, job } = loggedJobs();
    queue.push(job('a'), false);
    queue.push(job('b'), false);
    await tick(5);
    expect(log).toEqual([]);
    open();
    queue.push(job('c'), false);
    await tick(30);
    expect(log).toEqual(['a', 'b', 'c']);
  });

  it('holds a background job until no foreground job has come for the idle time, and lets a later foreground job pass it', async () => {
    const queue = new RequestQueue(60);
    const log: string[] = [];
    const job = (name: string) => async () => void log.push(name);
    queue.push(job('analyze'), false);
    queue.push(job('depth'), true);
    await tick(20);
    expect(log).toEqual(['analyze']);
    // What the UI asks for after the analysis arrives overtakes the waiting preview.
    queue.push(job('segment'), false);
    await tick(20);
    expect(log).toEqual(['analyze', 'segment']);
    await tick(120);
    expect(log).toEqual(['analyze', 'segment', 'depth']);
    queue.push(job('refine'), true);
    await tick(120);
    expect(log).toEqual(['analyze', 'segment', 'depth', 'refine']);
  });

  it('lets a long job run the foreground jobs waiting at its yield points, one at a time', async () => {
    const queue = new RequestQueue(0);
    const { log, job } = loggedJobs();
    queue.push(async () => {
      for (const step of ['step 1', 'step 2', 'step 3']) {
        await job(step)();
        await queue.yieldToForeground();
      }
    }, false);
    await tick(1);
    queue.push(job('stroke a'), false);
    queue.push(job('stroke b'), false);
    await tick(40);
    expect(log).toEqual(['step 1', 'stroke a', 'stroke b', 'step 2', 'step 3']);
  });
});
