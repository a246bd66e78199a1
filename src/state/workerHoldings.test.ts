import { describe, expect, it } from 'vitest';
import { WorkerHoldings } from './workerHoldings.ts';

describe('WorkerHoldings', () => {
  it('sends once per token, holds what the worker confirmed, and asks again after a failure', async () => {
    const holdings = new WorkerHoldings<number>((a, b) => a === b);
    let sent = 0;
    const send = () => {
      sent++;
      return Promise.resolve('ok');
    };
    await holdings.handOver('a', 1, send);
    expect(holdings.handOver('a', 1, send)).toBeUndefined();
    expect(holdings.heldAs('a')).toBe(1);
    await holdings.handOver('a', 2, send);
    expect([sent, holdings.heldAs('a')]).toEqual([2, 2]);

    await expect(holdings.handOver('b', 1, () => Promise.reject(new Error('evicted')))).rejects.toThrow('evicted');
    expect(holdings.heldAs('b')).toBeUndefined();
    await holdings.handOver('b', 1, send);
    expect([sent, holdings.heldAs('b')]).toEqual([3, 1]);

    holdings.forget('a');
    expect(holdings.heldAs('a')).toBeUndefined();
    holdings.clear();
    expect(holdings.heldAs('b')).toBeUndefined();
    await holdings.handOver('b', 1, send);
    expect(sent).toBe(4);
  });
});
