// The studio's state, one zustand store made of slices, one per concern (each in its own file).
import { create } from 'zustand';
import { createBenchmarkSlice, type BenchmarkSlice } from './benchmarkSlice.ts';
import { createMessageSlice, type MessageSlice } from './messageSlice.ts';
import { createModelSlice, type ModelSlice } from './modelSlice.ts';
import { createPhotoSlice, type PhotoSlice } from './photoSlice.ts';
import { createSuperpixelSlice, type SuperpixelSlice } from './superpixelSlice.ts';
import { createGroundTruthSlice, type GroundTruthSlice } from './groundTruthSlice.ts';
import { createViewSlice, type ViewSlice } from './viewSlice.ts';

export type StudioState = ModelSlice & PhotoSlice & ViewSlice & MessageSlice & BenchmarkSlice & SuperpixelSlice & GroundTruthSlice;

export const useStudio = create<StudioState>()((...a) => ({
  ...createModelSlice(...a),
  ...createPhotoSlice(...a),
  ...createViewSlice(...a),
  ...createMessageSlice(...a),
  ...createSuperpixelSlice(...a),
  ...createGroundTruthSlice(...a),
  ...createBenchmarkSlice(...a),
}));

export { activePhoto } from './photoSlice.ts';
