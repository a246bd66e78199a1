import { describe, expect, it } from 'vitest';
import { create } from 'zustand';
import { vocLabelSet } from '../core/labelSets.ts';
import { createHistorySlice } from './historySlice.ts';
import { createMessageSlice } from './messageSlice.ts';
import type { Photo } from './photoSlice.ts';
import type { StudioState } from './studioStore.ts';
import { createTagClassSlice, looksLikeTags, photoTag, taggedPhotos } from './tagClassSlice.ts';

function studio() {
  const photo = (id: string, name: string) => ({ id, name }) as unknown as Photo;
  return create<StudioState>()(
    (set, get, api) =>
      ({
        photos: [photo('a', 'a.jpg'), photo('b', 'b.jpg')],
        labelSet: vocLabelSet(),
        model: { status: 'idle' },
        superpixels: {},
        scheduleSegmentation: () => undefined,
        ...createMessageSlice(set, get, api),
        ...createHistorySlice(set, get, api),
        ...createTagClassSlice(set, get, api),
      }) as unknown as StudioState,
  );
}

describe('tags of a class', () => {
  it('tag, retag and untag a photo, each undoable', () => {
    const store = studio();
    store.getState().setPhotoTag('a', 'dog', 'shows');
    store.getState().setPhotoTag('b', 'dog', 'lacks');
    expect(taggedPhotos(store.getState(), 'dog')).toEqual({ shows: ['a'], lacks: ['b'] });
    store.getState().setPhotoTag('a', 'dog', 'lacks');
    expect(photoTag(store.getState(), 'a', 'dog')).toBe('lacks');
    // (Another class's tag keeps the photo tagged: a photo left with none is handed to the worker to forget.)
    store.getState().setPhotoTag('a', 'cat', 'shows');
    store.getState().setPhotoTag('a', 'dog', undefined);
    expect(store.getState().photoTags.a).toEqual({ shows: ['cat'], lacks: [] });
    store.getState().undo();
    store.getState().undo();
    store.getState().undo();
    expect(photoTag(store.getState(), 'a', 'dog')).toBe('shows');
  });

  it('follow a class renamed in the label editor, and its rename undone', () => {
    const store = studio();
    store.getState().setPhotoTag('a', 'dog', 'shows');
    store.getState().setPhotoTag('a', 'cat', 'lacks');
    const voc = store.getState().labelSet;
    const renamed = { ...voc, classes: voc.classes.map((c) => (c.name === 'dog' ? { ...c, name: 'hound' } : c)) };
    store.setState({ labelSet: renamed });
    expect(store.getState().photoTags.a).toEqual({ shows: ['hound'], lacks: ['cat'] });
    store.setState({ labelSet: voc });
    expect(store.getState().photoTags.a).toEqual({ shows: ['dog'], lacks: ['cat'] });
    // Another label set of another length is not a rename.
    store.setState({ labelSet: { ...voc, classes: voc.classes.slice(0, 5) } });
    expect(store.getState().photoTags.a).toEqual({ shows: ['dog'], lacks: ['cat'] });
  });

  it('tells a tags JSON from a COCO one', () => {
    expect(looksLikeTags({ a: ['dog'], b: [] })).toBe(true);
    expect(looksLikeTags({ images: [], annotations: [], categories: [] })).toBe(false);
    expect(looksLikeTags({ images: [] })).toBe(false);
    expect(looksLikeTags({ a: 'dog' })).toBe(false);
    expect(looksLikeTags([])).toBe(false);
    expect(looksLikeTags({})).toBe(false);
  });
});
