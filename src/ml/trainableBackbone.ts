// The backbone as trainable tfjs ops (thesis §3.5: the backbone is fine-tuned end to end under the pixel
// classifier, batch norm frozen). A converted GraphModel cannot be trained, so the converted graph is
// interpreted here, node by node in topological order, with one tfjs op per graph op type; every convolution
// weight and bias becomes a tf.variable initialised from the converted weights. Batch norm is already folded
// into those weights and biases by the TF converter, which is exactly "frozen batch norm". See docs/finetune.md.
import * as tf from '@tensorflow/tfjs';
import { checkInputSides, collectOutputs, outputNodes, type BackboneOutputs } from './backbone.ts';
import type { BackboneManifest, LevelId } from './backboneManifest.ts';
import type { ModelFiles } from './modelArtifacts.ts';
// Wasm lacks three of the gradient kernels below: registered here so wherever the backbone trains, wasm can.
import './wasmGradientKernels.ts';

/** Which blocks train: none, the top one, the top two, or all (blocks: see `backboneBlocks`). */
export const FINETUNE = ['none', 'top', 'top2', 'all'] as const;
export type Finetune = (typeof FINETUNE)[number];

/**
 * The kernels one training step runs (forward under the tape, where tfjs unfuses conv+ReLU, and backward),
 * as recorded by tf.profile over every block (trainableBackbone.test.ts keeps this list honest).
 */
export const TRAINING_KERNELS = [
  'Add', 'AddN', 'Cast', 'Concat', 'Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'DepthwiseConv2dNative',
  'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'FusedConv2D', 'FusedDepthwiseConv2D',
  'Identity', 'LessEqual', 'Mean', 'Multiply', 'RealDiv', 'Relu', 'Relu6', 'Reshape', 'ResizeBilinear',
  'ResizeBilinearGrad', 'Sigmoid', 'SplitV', 'Step', 'Sub', 'Sum',
] as const;

/** The training kernels `backend` has not registered: fine-tuning cannot run there until they exist. */
export function missingTrainingKernels(backend: string): string[] {
  return TRAINING_KERNELS.filter((k) => !tf.getKernel(k, backend));
}

interface AttrValue {
  s?: string;
  i?: string;
  f?: number;
  b?: boolean;
  list?: { i?: string[]; s?: string[] };
}

interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, AttrValue>;
}

/** A node's value: a tensor, or the small integer vectors of shape arithmetic (axes, sizes), kept in JS. */
type Value = tf.Tensor | number[];

function tensor(v: Value): tf.Tensor {
  if (Array.isArray(v)) throw new Error('the backbone graph feeds an integer constant where a tensor is expected');
  return v;
}

function ints(v: Value): number[] {
  if (!Array.isArray(v)) throw new Error('the backbone graph feeds a tensor where a shape or axis is expected');
  return v;
}

function attr(node: GraphNode, key: string): AttrValue {
  const a = node.attr?.[key];
  if (!a) throw new Error(`backbone graph node ${node.name} (${node.op}) has no attribute ${key}`);
  return a;
}

const text = (node: GraphNode, key: string) => atob(attr(node, key).s ?? '');
const intList = (node: GraphNode, key: string) => (attr(node, key).list?.i ?? []).map(Number);
const flag = (node: GraphNode, key: string) => node.attr?.[key]?.b ?? false;

function unsupported(node: GraphNode, what: string): never {
  throw new Error(`backbone graph node ${node.name} (${node.op}): ${what} is not supported by the trainable backbone`);
}

interface ConvArgs {
  strides: [number, number];
  pad: 'same' | 'valid';
  dilations: [number, number];
}

function convArgs(node: GraphNode): ConvArgs {
  if (text(node, 'data_format') !== 'NHWC') unsupported(node, `data_format ${text(node, 'data_format')}`);
  const padding = text(node, 'padding');
  if (padding !== 'SAME' && padding !== 'VALID') unsupported(node, `padding ${padding}`);
  const [, sh, sw] = intList(node, 'strides');
  const [, dh, dw] = intList(node, 'dilations');
  return { strides: [sh, sw], pad: padding === 'SAME' ? 'same' : 'valid', dilations: [dh, dw] };
}

/** The activation after a fused convolution's BiasAdd: the only fusions whose gradient tfjs knows. */
function fusedActivation(node: GraphNode): 'linear' | 'relu' {
  const [extra, activation, ...rest] = (attr(node, 'fused_ops').list?.s ?? []).map((s) => atob(s).toLowerCase());
  if (extra !== 'biasadd' || rest.length) unsupported(node, `fused_ops ${[extra, activation, ...rest].join('+')}`);
  if (activation === undefined) return 'linear';
  if (activation === 'relu') return activation;
  return unsupported(node, `fused activation ${activation}`);
}

/** 1-D StridedSlice of a shape vector (all masks zero, as the converter writes it for resize targets). */
function stridedSlice(node: GraphNode, v: number[], begin: number[], end: number[], strides: number[]): number[] {
  for (const mask of ['begin_mask', 'end_mask', 'ellipsis_mask', 'new_axis_mask', 'shrink_axis_mask']) {
    if (Number(node.attr?.[mask]?.i ?? 0) !== 0) unsupported(node, mask);
  }
  const out: number[] = [];
  for (let i = begin[0]; strides[0] > 0 ? i < Math.min(end[0], v.length) : i > end[0]; i += strides[0]) out.push(v[i]);
  return out;
}

type OpFn = (node: GraphNode, inputs: Value[]) => Value;

/** One function per op type of the converted graph, reading its attributes from the node as tfjs-converter does. */
const OPS: Record<string, OpFn> = {
  _FusedConv2D: (n, [x, filter, bias]) =>
    tf.fused.conv2d({ x: tensor(x) as tf.Tensor4D, filter: tensor(filter) as tf.Tensor4D, bias: tensor(bias), activation: fusedActivation(n), ...convArgs(n) }),
  FusedDepthwiseConv2dNative: (n, [x, filter, bias]) =>
    tf.fused.depthwiseConv2d({ x: tensor(x) as tf.Tensor4D, filter: tensor(filter) as tf.Tensor4D, bias: tensor(bias), activation: fusedActivation(n), ...convArgs(n) }),
  DepthwiseConv2dNative: (n, [x, filter]) => {
    const { strides, pad, dilations } = convArgs(n);
    return tf.depthwiseConv2d(tensor(x) as tf.Tensor4D, tensor(filter) as tf.Tensor4D, strides, pad, 'NHWC', dilations);
  },
  Conv2D: (n, [x, filter]) => {
    const { strides, pad, dilations } = convArgs(n);
    return tf.conv2d(tensor(x) as tf.Tensor4D, tensor(filter) as tf.Tensor4D, strides, pad, 'NHWC', dilations);
  },
  Mul: (_, [a, b]) => tf.mul(tensor(a), tensor(b)),
  Add: (_, [a, b]) => tf.add(tensor(a), tensor(b)),
  Relu: (_, [x]) => tf.relu(tensor(x)),
  Relu6: (_, [x]) => tf.relu6(tensor(x)),
  Sigmoid: (_, [x]) => tf.sigmoid(tensor(x)),
  Mean: (n, [x, axes]) => tf.mean(tensor(x), ints(axes), flag(n, 'keep_dims')),
  ResizeBilinear: (n, [x, size]) =>
    tf.image.resizeBilinear(tensor(x) as tf.Tensor4D, [ints(size)[0], ints(size)[1]], flag(n, 'align_corners'), flag(n, 'half_pixel_centers')),
  ConcatV2: (_, inputs) => tf.concat(inputs.slice(0, -1).map(tensor), ints(inputs[inputs.length - 1])[0]),
  Identity: (_, [x]) => tf.clone(tensor(x)),
  Shape: (_, [x]) => [...tensor(x).shape],
  StridedSlice: (n, [v, begin, end, strides]) => stridedSlice(n, ints(v), ints(begin), ints(end), ints(strides)),
};

const CONVOLUTIONS = new Set(['_FusedConv2D', 'FusedDepthwiseConv2dNative', 'DepthwiseConv2dNative', 'Conv2D']);

/**
 * The blocks that `Finetune` counts from the top: one per zoom-out level of the manifest's taps, in order
 * (L1 … L5, then H, the CenterNet head). An op belongs to the first level whose taps depend on it; ops no tap
 * depends on (the COCO output convolutions) belong to the last block.
 */
export function backboneBlocks(manifest: BackboneManifest): LevelId[] {
  return [...new Set(manifest.taps.map((t) => t.level))];
}

function blockOfEachNode(nodes: Map<string, GraphNode>, manifest: BackboneManifest): Map<string, number> {
  const blocks = backboneBlocks(manifest);
  const block = new Map<string, number>();
  manifest.taps.forEach((tap) => {
    const b = blocks.indexOf(tap.level);
    const stack = [tap.node];
    while (stack.length) {
      const name = stack.pop()!;
      if ((block.get(name) ?? Infinity) <= b) continue;
      block.set(name, b);
      stack.push(...(nodes.get(name)?.input ?? []));
    }
  });
  for (const name of nodes.keys()) if (!block.has(name)) block.set(name, blocks.length - 1);
  return block;
}

/** The nodes `outputs` need, each after its inputs. */
function topologicalOrder(nodes: Map<string, GraphNode>, outputs: string[]): GraphNode[] {
  const order: GraphNode[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (name: string) => {
    const node = nodes.get(name);
    if (!node) throw new Error(`the backbone graph has no node ${name}`);
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'open') throw new Error(`the backbone graph has a cycle through ${name}`);
    state.set(name, 'open');
    for (const input of node.input ?? []) visit(input);
    state.set(name, 'done');
    order.push(node);
  };
  for (const name of outputs) visit(name);
  return order;
}

interface Weight {
  variable: tf.Variable;
  block: number;
}

export class TrainableBackbone {
  private finetuneSetting: Finetune = 'none';

  private constructor(
    readonly manifest: BackboneManifest,
    private readonly order: GraphNode[],
    /** Graph consts that are not weights: hard-swish's scalars (tensors) and axes, indices (JS numbers). */
    private readonly constants: Map<string, Value>,
    private readonly weights: Map<string, Weight>,
    private readonly outputs: string[],
  ) {}

  /** From the converted graph's files (verified by the model registry), with `finetune`'s blocks trainable. */
  static fromFiles(files: ModelFiles, manifest: BackboneManifest, finetune: Finetune = 'none'): TrainableBackbone {
    const topology = files.modelJson.modelTopology as { node: GraphNode[] };
    const nodes = new Map(topology.node.map((n) => [n.name, n]));
    const outputs = outputNodes(manifest);
    const order = topologicalOrder(nodes, outputs);
    const block = blockOfEachNode(nodes, manifest);
    const weightBlock = new Map<string, number>();
    for (const node of order) {
      if (!CONVOLUTIONS.has(node.op)) continue;
      for (const input of node.input!.slice(1)) weightBlock.set(input, Math.min(weightBlock.get(input) ?? Infinity, block.get(node.name)!));
    }
    const decoded = tf.io.decodeWeights(files.weights, files.modelJson.weightsManifest.flatMap((g) => g.weights));
    const constants = new Map<string, Value>();
    const weights = new Map<string, Weight>();
    for (const node of order.filter((n) => n.op === 'Const')) {
      const value = decoded[node.name];
      if (!value) throw new Error(`the backbone weights have no ${node.name}`);
      const b = weightBlock.get(node.name);
      if (b !== undefined) weights.set(node.name, { variable: tf.variable(value, false), block: b });
      else if (value.dtype === 'int32') constants.set(node.name, Array.from(value.dataSync()));
      else constants.set(node.name, tf.clone(value));
    }
    tf.dispose(Object.values(decoded));
    const ops = order.filter((n) => n.op !== 'Const' && n.op !== 'Placeholder');
    for (const node of ops) if (!OPS[node.op]) unsupported(node, 'the op');
    const backbone = new TrainableBackbone(manifest, ops, constants, weights, outputs);
    backbone.setFinetune(finetune);
    return backbone;
  }

  get finetune(): Finetune {
    return this.finetuneSetting;
  }

  /** Makes `finetune`'s blocks trainable and freezes the others (their variables stay, untouched by optimisers). */
  setFinetune(finetune: Finetune): void {
    const first = this.firstTrainableBlock(finetune);
    for (const w of this.weights.values()) w.variable.trainable = w.block >= first;
    this.finetuneSetting = finetune;
  }

  private firstTrainableBlock(finetune: Finetune): number {
    const count = backboneBlocks(this.manifest).length;
    return { none: count, top: count - 1, top2: count - 2, all: 0 }[finetune];
  }

  /** The variables an optimiser should update: those of the trainable blocks. */
  trainableVariables(): tf.Variable[] {
    return [...this.weights.values()].filter((w) => w.variable.trainable).map((w) => w.variable);
  }

  /** Every weight, by its converted name (to save fine-tuned weights, or to reset them). */
  variables(): Map<string, tf.Variable> {
    return new Map([...this.weights].map(([name, w]) => [name, w.variable]));
  }

  /** The weights of the blocks `finetune` names, by converted name, encoded as tfjs encodes weights (a fine-tuned model's file). */
  async encodeWeights(finetune: Finetune): Promise<{ data: ArrayBuffer; specs: tf.io.WeightsManifestEntry[] }> {
    const first = this.firstTrainableBlock(finetune);
    const named = [...this.weights].filter(([, w]) => w.block >= first).map(([name, w]) => ({ name, tensor: w.variable as tf.Tensor }));
    const { data, specs } = await tf.io.encodeWeights(named);
    return { data: data as ArrayBuffer, specs };
  }

  /** Overwrites weights by converted name (a fine-tuned model's); each must exist here with the same shape. */
  assignWeights(data: ArrayBuffer, specs: tf.io.WeightsManifestEntry[]): void {
    const decoded = tf.io.decodeWeights(data, specs);
    try {
      for (const [name, value] of Object.entries(decoded)) {
        const target = this.weights.get(name)?.variable;
        if (!target) throw new Error(`the backbone has no weight ${name}`);
        if (target.shape.join() !== value.shape.join()) throw new Error(`weight ${name} is ${value.shape.join('×')}, the backbone's ${target.shape.join('×')}`);
        target.assign(value);
      }
    } finally {
      tf.dispose(Object.values(decoded));
    }
  }

  /** The same outputs as `Backbone.forward`, differentiable with respect to the trainable variables. */
  forward(input: tf.Tensor4D): BackboneOutputs {
    checkInputSides(this.manifest, input);
    const results = tf.tidy(() => this.run(input));
    return collectOutputs(this.manifest, new Map(this.outputs.map((n, i) => [n, results[i]])));
  }

  private run(input: tf.Tensor4D): tf.Tensor[] {
    const values = new Map<string, Value>(this.constants);
    for (const [name, w] of this.weights) values.set(name, w.variable);
    values.set(this.manifest.input.node, input);
    // Intermediate maps are released after their last consumer, as the GraphModel does, to bound peak memory;
    // tensors the gradient tape needs are kept by the tape itself.
    const pending = new Map<string, number>();
    for (const node of this.order) for (const i of node.input ?? []) pending.set(i, (pending.get(i) ?? 0) + 1);
    const keep = new Set(this.outputs);
    const computed = new Set(this.order.map((n) => n.name));
    for (const node of this.order) {
      const inputs = (node.input ?? []).map((i) => values.get(i)!);
      values.set(node.name, OPS[node.op](node, inputs));
      for (const i of node.input ?? []) {
        const left = pending.get(i)! - 1;
        pending.set(i, left);
        const v = values.get(i)!;
        if (left === 0 && computed.has(i) && !keep.has(i) && !Array.isArray(v)) v.dispose();
      }
    }
    return this.outputs.map((n) => tensor(values.get(n)!));
  }

  dispose(): void {
    for (const t of this.held()) t.dispose();
  }

  tensors(): number {
    return this.held().length;
  }

  private held(): (tf.Variable | tf.Tensor)[] {
    return [...[...this.weights.values()].map((w) => w.variable), ...[...this.constants.values()].filter((v): v is tf.Tensor => !Array.isArray(v))];
  }
}
