// The zoom-out taps of the backbone (thesis §3.3.1: one feature map per receptive-field size), written into
// models/backbone.manifest.json. Narrow block outputs are used rather than expansion layers: findings.md
// measured the wide ones slightly worse and they would drown the rest by sheer width.
const P = 'tower_0/MobilenetV3/';

export const backboneTaps = [
  { level: 'L1', node: `${P}expanded_conv/add`, stride: 2, channels: 16 },
  { level: 'L2', node: `${P}expanded_conv_2/add`, stride: 4, channels: 24 },
  { level: 'L3', node: `${P}expanded_conv_5/add`, stride: 8, channels: 32 },
  { level: 'L4', node: `${P}expanded_conv_11/add`, stride: 16, channels: 88 },
  { level: 'L5', node: `${P}expanded_conv_14/add`, stride: 32, channels: 120 },
  { level: 'L5', node: 'tower_0/extern1/hard_swish/mul_1', stride: 32, channels: 480 },
  // The COCO-trained detection head: class-aware features, their own level.
  { level: 'H', node: 'tower_0/CenternetHead/Relu', stride: 16, channels: 256 },
  { level: 'H', node: 'tower_0/CenternetHead/Relu_1', stride: 8, channels: 192 },
  { level: 'H', node: 'tower_0/CenternetHead/mul', stride: 4, channels: 128 },
];

/** The scene vector (S2): the spatial mean of the deepest backbone map. */
export const SCENE_TAP = { level: 'S2', node: 'tower_0/extern1/hard_swish/mul_1', reduce: 'spatial mean', channels: 480 };
