// The preset switch on a store of the slices it touches (history, messages, labels); the rest of the studio
// (photos, strokes, ground truth, segmentations) is plain state here.
import { describe, expect, it, vi } from 'vitest';
import { create } from 'zustand';
import manifest from '../../models/backbone.manifest.json';
import { cocoLabelSet } from '../core/labelSets.ts';
import { ERASE, type Stroke } from '../core/strokes.ts';
import type { PhotoSegmentation } from '../worker/segmentationProtocol.ts';
import type { GroundTruth } from './groundTruthSlice.ts';
import { createHistorySlice } from './historySlice.ts';
import { createLabelSlice } from './labelSlice.ts';
import { createMessageSlice } from './messageSlice.ts';
import type { StudioState } from './studioStore.ts';

const COCO = manifest.heatmaps.classes;
const COCO_PERSON = 1 + COCO.indexOf('person');
const COCO_AIRPLANE = 1 + COCO.indexOf('airplane');
const COCO_TRUCK = 1 + COCO.indexOf('truck');

function studio() {
  const scheduleSegmentation = vi.fn();
  const store = create<StudioState>()(
    (set, get, api) =>
      ({
        photos: [],
        strokes: {},
        groundTruth: {},
        segmentations: {},
        model: { status: 'ready', info: { classes: COCO } },
        scheduleSegmentation,
        ...createMessageSlice(set, get, api),
        ...createHistorySlice(set, get, api),
        ...createLabelSlice(set, get, api),
      }) as unknown as StudioState,
  );
  return { store, scheduleSegmentation };
}

const stroke = (classIndex: number): Stroke => ({ classIndex, radius: 2, points: [3, 4, 5, 6] });

function truth(values: number[]): GroundTruth {
  const classes = new Uint8Array(values);
  return { name: 'gt.png', width: values.length, height: 1, classes, present: [...new Set(values)].filter((v) => v !== 255).sort((a, b) => a - b) };
}

function segmentation(values: number[]): PhotoSegmentation {
  return { photoId: 'a', mapId: 1, run: 1, classes: new Uint8Array(values), confidence: new Uint8Array(values.length), labelled: 1, superpixels: values.length, points: [] };
}

describe('switching the label preset', () => {
  it('keeps every class by name: strokes, ground truth, segmentations and the active class, in one undoable edit', () => {
    const { store, scheduleSegmentation } = studio();
    const before = {
      strokes: { a: [stroke(15), stroke(ERASE), stroke(0)], b: [stroke(1)] },
      groundTruth: { a: truth([0, 15, 255, 1]) },
      segmentations: { a: segmentation([15, 0, 1]) },
    };
    store.setState({ ...before, activeClass: 15 });

    store.getState().applyPreset('coco');
    let s = store.getState();
    expect(s.labelSet.id).toBe('coco');
    expect(s.labelSet.classes[COCO_PERSON].name).toBe('person');
    expect(s.activeClass).toBe(COCO_PERSON);
    expect(s.strokes.a.map((x) => x.classIndex)).toEqual([COCO_PERSON, ERASE, 0]);
    expect(s.strokes.b.map((x) => x.classIndex)).toEqual([COCO_AIRPLANE]);
    expect([...s.groundTruth.a.classes]).toEqual([0, COCO_PERSON, 255, COCO_AIRPLANE]);
    expect(s.groundTruth.a.present).toEqual([0, COCO_PERSON, COCO_AIRPLANE].sort((x, y) => x - y));
    expect([...s.segmentations.a.classes]).toEqual([COCO_PERSON, 0, COCO_AIRPLANE]);
    expect(scheduleSegmentation).toHaveBeenCalledTimes(1);
    expect(s.past).toHaveLength(1);

    s.undo();
    s = store.getState();
    expect(s.labelSet.id).toBe('voc');
    expect(s.activeClass).toBe(15);
    expect(s.strokes).toEqual(before.strokes);
    expect(s.strokes.a).toBe(before.strokes.a);
    expect(s.groundTruth.a).toBe(before.groundTruth.a);
    expect(scheduleSegmentation).toHaveBeenCalledTimes(2);

    s.redo();
    expect(store.getState().strokes.a[0].classIndex).toBe(COCO_PERSON);
    expect(store.getState().labelSet.id).toBe('coco');
  });

  it('back to VOC keeps the COCO classes in use as custom classes, drops the unused stock ones', () => {
    const { store } = studio();
    store.getState().applyPreset('coco');
    store.setState({ strokes: { a: [stroke(COCO_TRUCK), stroke(COCO_PERSON)] }, activeClass: COCO_TRUCK });

    store.getState().applyPreset('voc');
    const s = store.getState();
    expect(s.labelSet.id).toBe('custom');
    expect(s.labelSet.classes.map((c) => c.name)).toEqual([...s.labelSet.classes.slice(0, 21).map((c) => c.name), 'truck']);
    expect(s.labelSet.classes[21]).toEqual(cocoLabelSet(COCO).classes[COCO_TRUCK]);
    expect(s.strokes.a.map((x) => x.classIndex)).toEqual([21, 15]);
    expect(s.activeClass).toBe(21);
    expect(s.messages.at(-1)?.text).toContain('truck');
  });

  it('keeps a renamed class and a class the user added', () => {
    const { store } = studio();
    store.getState().updateClass(15, { name: 'astronaut' });
    store.getState().addClass();
    store.setState({ strokes: {}, activeClass: 0 });
    store.getState().applyPreset('coco');
    const names = store.getState().labelSet.classes.map((c) => c.name);
    expect(names).toHaveLength(1 + COCO.length + 2);
    expect(names.slice(-2)).toEqual(['astronaut', 'class 21']);
  });

  it('gives ground-truth classes beyond the set a class of their own instead of losing them', () => {
    const { store } = studio();
    store.setState({ groundTruth: { a: truth([0, 40, 15]) }, activeClass: 0 });
    store.getState().applyPreset('coco');
    const s = store.getState();
    const kept = s.labelSet.classes.findIndex((c) => c.name === 'class 40');
    expect(kept).toBeGreaterThan(COCO.length);
    expect([...s.groundTruth.a.classes]).toEqual([0, kept, COCO_PERSON]);
  });
});
