import { describe, expect, it } from 'vitest';
import { AnalysisQueue } from './analysisQueue.ts';

/** Runs the queue to the end as the photo slice does, the user looking at `active` throughout. */
function drain(q: AnalysisQueue, active?: string): string[] {
  const order: string[] = [];
  for (let id = q.take(active); id !== undefined; id = q.take(active)) {
    order.push(id);
    q.finished();
  }
  return order;
}

describe('AnalysisQueue', () => {
  it('analyses in the order added, each photo once', () => {
    const q = new AnalysisQueue();
    q.add(['a', 'b', 'c']);
    q.add(['b', 'd']);
    expect(q.progress).toEqual({ done: 0, total: 4 });
    expect(drain(q)).toEqual(['a', 'b', 'c', 'd']);
    expect(q.progress).toBeUndefined();
  });

  it('takes the photo being looked at first', () => {
    const q = new AnalysisQueue();
    q.add(['a', 'b', 'c', 'd']);
    expect(q.take('c')).toBe('c');
    q.finished();
    expect(q.take('x')).toBe('a');
    q.finished();
    expect(q.progress).toEqual({ done: 2, total: 4 });
  });

  it('counts progress until the queue empties, then starts from zero', () => {
    const q = new AnalysisQueue();
    q.add(['a', 'b']);
    q.take();
    q.finished();
    q.add(['c']);
    expect(q.progress).toEqual({ done: 1, total: 3 });
    drain(q);
    q.add(['d']);
    expect(q.progress).toEqual({ done: 0, total: 1 });
  });

  it('stops: the waiting photos are returned, and the one running does not count', () => {
    const q = new AnalysisQueue();
    q.add(['a', 'b', 'c']);
    q.take();
    expect(q.clear()).toEqual(['b', 'c']);
    q.finished();
    expect(q.progress).toBeUndefined();
    expect(q.take()).toBeUndefined();
  });

  it('does not queue again the photo being analysed', () => {
    const q = new AnalysisQueue();
    q.add(['a', 'b']);
    expect(q.take()).toBe('a');
    q.add(['a', 'c']);
    expect(q.progress).toEqual({ done: 0, total: 3 });
    q.finished();
    expect(drain(q)).toEqual(['b', 'c']);
    q.add(['a']);
    expect(q.take()).toBe('a');
  });

  it('forgets a closed photo', () => {
    const q = new AnalysisQueue();
    q.add(['a', 'b']);
    q.remove('b');
    expect(q.progress).toEqual({ done: 0, total: 1 });
    q.remove('a');
    expect(q.progress).toBeUndefined();
  });
});
