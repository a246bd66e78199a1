import { describe, expect, it } from 'vitest';
import { cumulativeLevelSets, levelSetLabel } from './levels.ts';

describe('cumulativeLevelSets', () => {
  it('gives the eight rows of thesis Table 3.4 in the studio’s levels', () => {
    const sets = cumulativeLevelSets();
    expect(sets.map((s) => s.label)).toEqual(['L1', 'L1–2', 'L1–3', 'L1–4', 'L1–5', 'L1–5+H', 'L1–5+H+S1', 'all (L1–5+H+S1+S2)']);
    expect(sets[2].levels).toEqual(['L1', 'L2', 'L3']);
    expect(sets[7].levels).toHaveLength(8);
  });

  it('skips levels the backbone lacks and keeps ablation order', () => {
    expect(cumulativeLevelSets(['S2', 'L2', 'L1']).map((s) => s.label)).toEqual(['L1', 'L1–2', 'all (L1–2+S2)']);
    expect(cumulativeLevelSets(['L1'])).toEqual([{ label: 'L1', levels: ['L1'] }]);
  });
});

describe('levelSetLabel', () => {
  it('names gaps explicitly', () => {
    expect(levelSetLabel(['L1', 'L3', 'S1'])).toBe('L1+L3+S1');
    expect(levelSetLabel(['H', 'S2'])).toBe('H+S2');
  });
});
