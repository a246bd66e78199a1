import { describe, expect, it, vi } from 'vitest';
import { autosave, persistPart } from './persistence.ts';
import type { StudioState } from './studioStore.ts';

const saved: { project: Record<string, unknown>; photos: [string, Record<string, unknown>][] }[] = [];
vi.mock('./projectStorage.ts', () => ({
  saveParts: (project: Record<string, unknown>, photos: [string, Record<string, unknown>][]) => {
    saved.push({ project, photos });
    return Promise.resolve();
  },
}));

describe('autosave', () => {
  it('writes only the project-wide parts that changed, so a setting change does not rewrite large weights', async () => {
    type Fake = { setting: number; weights: { bytes: Uint8Array } };
    persistPart<number>({ key: 'setting', select: (s) => (s as unknown as Fake).setting, restore: () => undefined });
    persistPart<{ bytes: Uint8Array }>({ key: 'weights', select: (s) => (s as unknown as Fake).weights, restore: () => undefined });
    let state: Fake = { setting: 1, weights: { bytes: new Uint8Array(1 << 20) } };
    const listeners: (() => void)[] = [];
    const stop = autosave(
      (l) => {
        listeners.push(() => l(state as unknown as StudioState));
        return () => undefined;
      },
      () => ({ ...state, photos: [] }) as unknown as StudioState,
      () => true,
      (err) => {
        throw err;
      },
    );
    const change = async (next: Fake) => {
      state = next;
      listeners.forEach((l) => l());
      await new Promise((resolve) => setTimeout(resolve, 0));
    };
    await change({ ...state });
    expect(Object.keys(saved[0].project).sort()).toEqual(['setting', 'weights']);
    await change({ ...state, setting: 2 });
    expect(saved[1].project).toEqual({ setting: 2 });
    await change({ ...state, weights: { bytes: new Uint8Array(8) } });
    expect(Object.keys(saved[2].project)).toEqual(['weights']);
    await change({ ...state });
    expect(saved).toHaveLength(3);
    stop();
  });
});
