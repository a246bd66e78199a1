// The studio's state, one zustand store made of slices, one per concern (each in its own file).
import { create } from 'zustand';
import { createBenchmarkSlice, type BenchmarkSlice } from './benchmarkSlice.ts';
import { createMessageSlice, type MessageSlice } from './messageSlice.ts';
import { createModelSlice, type ModelSlice } from './modelSlice.ts';
import { createPhotoSlice, type PhotoSlice } from './photoSlice.ts';
import { createSuperpixelSlice, type SuperpixelSlice } from './superpixelSlice.ts';
import { createGroundTruthSlice, type GroundTruthSlice } from './groundTruthSlice.ts';
import { createViewSlice, type ViewSlice } from './viewSlice.ts';
import { createHistorySlice, type HistorySlice } from './historySlice.ts';
import { createLabelSlice, type LabelSlice } from './labelSlice.ts';
import { createAnnotationSlice, type AnnotationSlice } from './annotationSlice.ts';
import { createSegmentationSlice, type SegmentationSlice } from './segmentationSlice.ts';
import { createAblationSlice, type AblationSlice } from './ablationSlice.ts';
import { createOracleSlice, type OracleSlice } from './oracleSlice.ts';
import { createProjectFileSlice, type ProjectFileSlice } from './projectFileSlice.ts';
import { createSamplingSlice, type SamplingSlice } from './samplingSlice.ts';
import { createExportSlice, type ExportSlice } from './exportSlice.ts';
import { createDepthSlice, type DepthSlice } from './depthSlice.ts';
import { createCrfSlice, type CrfSlice } from './crfSlice.ts';
import { createLabelSpaceSlice, type LabelSpaceSlice } from './labelSpaceSlice.ts';
import { createFinetuneSlice, type FinetuneSlice } from './finetuneSlice.ts';
import { createMeasuredDepthSlice, type MeasuredDepthSlice } from './measuredDepthSlice.ts';
import { createTagClassSlice, type TagClassSlice } from './tagClassSlice.ts';

export type StudioState = ModelSlice & PhotoSlice & ViewSlice & MessageSlice & BenchmarkSlice & SuperpixelSlice & GroundTruthSlice &
  HistorySlice & LabelSlice & AnnotationSlice & SegmentationSlice & AblationSlice & OracleSlice & ProjectFileSlice & SamplingSlice &
  ExportSlice & DepthSlice & CrfSlice & LabelSpaceSlice & FinetuneSlice & MeasuredDepthSlice & TagClassSlice;

export const useStudio = create<StudioState>()((...a) => ({
  ...createModelSlice(...a),
  ...createPhotoSlice(...a),
  ...createViewSlice(...a),
  ...createMessageSlice(...a),
  ...createSuperpixelSlice(...a),
  ...createGroundTruthSlice(...a),
  ...createBenchmarkSlice(...a),
  ...createHistorySlice(...a),
  ...createLabelSlice(...a),
  ...createAnnotationSlice(...a),
  ...createSegmentationSlice(...a),
  ...createAblationSlice(...a),
  ...createOracleSlice(...a),
  ...createProjectFileSlice(...a),
  ...createSamplingSlice(...a),
  ...createExportSlice(...a),
  ...createDepthSlice(...a),
  ...createCrfSlice(...a),
  ...createLabelSpaceSlice(...a),
  ...createFinetuneSlice(...a),
  ...createMeasuredDepthSlice(...a),
  ...createTagClassSlice(...a),
}));

export { activePhoto } from './photoSlice.ts';
