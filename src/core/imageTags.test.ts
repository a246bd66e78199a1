// Image-level tags (thesis §4.3.1) read from JSON: names matched as classes are, and every bad entry refused clearly.
import { describe, expect, it } from 'vitest';
import { parseImageTags } from './imageTags.ts';
import { vocLabelSet } from './labelSets.ts';

describe('parseImageTags', () => {
  const voc = vocLabelSet();

  it('maps each stem to class indices, by name under any preset spelling', () => {
    const tags = parseImageTags({ a: ['person', 'Airplane', 'dining table'], b: [] }, voc);
    expect([...tags.get('a')!].sort((x, y) => x - y)).toEqual([1, 11, 15]);
    expect(tags.get('b')!.size).toBe(0);
  });

  it('refuses what is not a tag list, unknown classes and background', () => {
    expect(() => parseImageTags(['person'], voc)).toThrow(/JSON object/);
    expect(() => parseImageTags({ a: 'person' }, voc)).toThrow(/'a' must be a list/);
    expect(() => parseImageTags({ a: ['unicorn'] }, voc)).toThrow(/'unicorn' is not a voc class/);
    expect(() => parseImageTags({ a: ['background'] }, voc)).toThrow(/background cannot be tagged/);
  });
});
