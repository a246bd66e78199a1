// The shape of models/backbone.manifest.json, written by scripts/convertModel.ts.
export type LevelId = 'L1' | 'L2' | 'L3' | 'L4' | 'L5' | 'H' | 'S1' | 'S2';

export interface TapSpec {
  level: LevelId;
  node: string;
  stride: number;
  channels: number;
}

export interface BackboneManifest {
  name: string;
  source: { package: string; version: string; files: Record<string, string>; upstream: string };
  converted: Record<string, string>;
  input: { node: string; sideMultiple: number; range: [number, number] };
  taps: TapSpec[];
  scene: { level: 'S2'; node: string; channels: number };
  heatmaps: { node: string; stride: number; classes: string[] };
  boxes: { node: string; stride: number; channels: number };
}
