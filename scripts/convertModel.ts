// `npm run models`: converts the COCO-trained MobileNetV3 CenterNet shipped in @vladmandic/human into the
// studio's backbone (models/backbone/) and writes its manifest (models/backbone.manifest.json).
// Why a rewrite: as shipped the graph only accepts 512×512 (constant resize targets in its head) and its
// detection decoder uses FloorMod, which WebGPU lacks. See docs/backbone.md.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backboneTaps, SCENE_TAP } from './backboneTaps.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_PACKAGE = '@vladmandic/human';
const SOURCE_VERSION = '3.3.6';
const SOURCE_SHA256: Record<string, string> = {
  'models/centernet.json': 'bfb942eaacc5becf738d536663bc4580a0ae9e560722306e6d4dd7fe4a09de05',
  'models/centernet.bin': '1b635a15009071f506f9f2b3519b31c072c534888989f30d269ffd44734ef7ef',
};
const OUTPUTS = ['tower_0/keypoints', 'tower_0/wh'];
const OUT_DIR = join(root, 'models', 'backbone');
const MANIFEST = join(root, 'models', 'backbone.manifest.json');

interface GraphNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, unknown>;
}
interface WeightEntry {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string };
}
interface ModelJson {
  format: string;
  generatedBy: string;
  convertedBy: string;
  signature: { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
  modelTopology: { node: GraphNode[]; library: unknown; versions: unknown };
  weightsManifest: { paths: string[]; weights: WeightEntry[] }[];
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function readVerified(pkgDir: string, rel: string): Buffer {
  const path = join(pkgDir, rel);
  if (!existsSync(path)) throw new Error(`${SOURCE_PACKAGE}@${SOURCE_VERSION} is missing ${rel} (run npm ci)`);
  const bytes = readFileSync(path);
  const got = sha256(bytes);
  if (got !== SOURCE_SHA256[rel]) {
    throw new Error(`sha256 mismatch for ${SOURCE_PACKAGE}/${rel}: expected ${SOURCE_SHA256[rel]}, got ${got}`);
  }
  return bytes;
}

function byteLength(w: WeightEntry): number {
  const n = w.shape.reduce((a, b) => a * b, 1);
  const dtype = w.quantization?.dtype ?? w.dtype;
  const size: Record<string, number> = { float16: 2, uint16: 2, uint8: 1, float32: 4, int32: 4 };
  if (!(dtype in size)) throw new Error(`unexpected weight dtype ${dtype} for ${w.name}`);
  return n * size[dtype];
}

const int32Const = (name: string): GraphNode => ({
  name,
  op: 'Const',
  attr: { value: { tensor: { dtype: 'DT_INT32', tensorShape: { dim: [{ size: '1' }] } } }, dtype: { type: 'DT_INT32' } },
});

/** Replaces each ResizeBilinear's constant target size by the spatial shape of the skip tensor it is concatenated with. */
function makeResizesShapeDriven(nodes: GraphNode[]): { nodes: GraphNode[]; consts: Record<string, number> } {
  const consts = { 'zoomout/hw_begin': 1, 'zoomout/hw_end': 3, 'zoomout/hw_strides': 1 };
  const added: GraphNode[] = Object.keys(consts).map(int32Const);
  let rewritten = 0;
  for (const concat of nodes.filter((n) => n.op === 'ConcatV2')) {
    const inputs = concat.input ?? [];
    const resize = nodes.find((n) => n.op === 'ResizeBilinear' && inputs.includes(n.name));
    if (!resize || !resize.input) continue;
    const skip = inputs.find((i) => i !== resize.name && !i.endsWith('/axis'));
    if (!skip) throw new Error(`no skip input beside ${resize.name}`);
    const shape = `${resize.name}/skip_shape`;
    const size = `${resize.name}/skip_hw`;
    added.push(
      { name: shape, op: 'Shape', input: [skip], attr: { T: { type: 'DT_FLOAT' }, out_type: { type: 'DT_INT32' } } },
      {
        name: size,
        op: 'StridedSlice',
        input: [shape, 'zoomout/hw_begin', 'zoomout/hw_end', 'zoomout/hw_strides'],
        attr: {
          T: { type: 'DT_INT32' },
          Index: { type: 'DT_INT32' },
          begin_mask: { i: '0' },
          end_mask: { i: '0' },
          ellipsis_mask: { i: '0' },
          new_axis_mask: { i: '0' },
          shrink_axis_mask: { i: '0' },
        },
      },
    );
    resize.input = [resize.input[0], size];
    rewritten++;
  }
  if (rewritten !== 3) throw new Error(`expected 3 head resizes, rewrote ${rewritten}`);
  return { nodes: [...nodes, ...added], consts };
}

/** Keeps only what the kept outputs need: the detection decoder (FloorMod, TopKV2, …) goes. */
function pruneTo(nodes: GraphNode[], outputs: string[]): GraphNode[] {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const keep = new Set<string>();
  const stack = [...outputs];
  while (stack.length) {
    const name = stack.pop()!.replace(/^\^/, '').replace(/:\d+$/, '');
    if (keep.has(name)) continue;
    const node = byName.get(name);
    if (!node) throw new Error(`graph has no node ${name}`);
    keep.add(name);
    stack.push(...(node.input ?? []));
  }
  return nodes.filter((n) => keep.has(n.name));
}

export function convert(): { modelJson: string; bin: Buffer; manifest: object } {
  const pkgDir = join(root, 'node_modules', SOURCE_PACKAGE);
  const jsonBytes = readVerified(pkgDir, 'models/centernet.json');
  const binBytes = readVerified(pkgDir, 'models/centernet.bin');
  const model = JSON.parse(jsonBytes.toString('utf8')) as ModelJson;

  const { nodes: rewritten, consts } = makeResizesShapeDriven(model.modelTopology.node);
  const nodes = pruneTo(rewritten, OUTPUTS);
  const input = nodes.find((n) => n.op === 'Placeholder');
  if (!input) throw new Error('graph has no input');
  input.attr = { ...input.attr, shape: { shape: { dim: [{ size: '1' }, { size: '-1' }, { size: '-1' }, { size: '3' }] } } };

  const kept = new Set(nodes.map((n) => n.name));
  const weights: WeightEntry[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const group of model.weightsManifest) {
    for (const w of group.weights) {
      const len = byteLength(w);
      if (kept.has(w.name)) {
        weights.push(w);
        chunks.push(binBytes.subarray(offset, offset + len));
      }
      offset += len;
    }
  }
  if (offset !== binBytes.length) throw new Error(`weights manifest covers ${offset} of ${binBytes.length} bytes`);
  for (const [name, value] of Object.entries(consts)) {
    weights.push({ name, shape: [1], dtype: 'int32' });
    chunks.push(Buffer.from(new Int32Array([value]).buffer));
  }
  const bin = Buffer.concat(chunks);

  const out: ModelJson = {
    ...model,
    convertedBy: `${model.convertedBy}; zoom-out-studio scripts/convertModel.ts`,
    signature: {
      inputs: { 'tower_0/images': { name: 'tower_0/images', dtype: 'DT_FLOAT', tensorShape: { dim: [{ size: '1' }, { size: '-1' }, { size: '-1' }, { size: '3' }] } } },
      outputs: Object.fromEntries(OUTPUTS.map((o) => [o, { name: o, dtype: 'DT_FLOAT' }])),
    },
    modelTopology: { ...model.modelTopology, node: nodes },
    weightsManifest: [{ paths: ['model.bin'], weights }],
  };
  const modelJson = JSON.stringify(out);

  const labelsTs = readFileSync(join(pkgDir, 'src', 'object', 'labels.ts'), 'utf8');
  const classes = [...labelsTs.matchAll(/label: '([^']+)'/g)].map((m) => m[1]);
  if (classes.length !== 80) throw new Error(`expected 80 COCO labels, found ${classes.length}`);

  const manifest = {
    name: 'MobileNetV3-Large 0.75 CenterNet (COCO)',
    source: {
      package: SOURCE_PACKAGE,
      version: SOURCE_VERSION,
      files: SOURCE_SHA256,
      upstream: 'mobilenetv3_centernet (610265158), converted to TF.js by vladmandic; package licence MIT, upstream states none',
    },
    converted: { 'backbone/model.json': sha256(Buffer.from(modelJson)), 'backbone/model.bin': sha256(bin) },
    input: {
      node: 'tower_0/images',
      layout: 'NHWC',
      channels: 'RGB',
      range: [0, 255],
      normalization: 'none (scaling folded into the weights)',
      sideMultiple: 32,
    },
    taps: backboneTaps,
    scene: SCENE_TAP,
    heatmaps: { node: 'tower_0/keypoints', stride: 4, activation: 'sigmoid', classes },
    boxes: { node: 'tower_0/wh', stride: 4, channels: 4, meaning: 'distances from the centre to the box edges, in input pixels' },
  };
  return { modelJson, bin, manifest };
}

function upToDate(): boolean {
  if (!existsSync(MANIFEST) || !existsSync(join(OUT_DIR, 'model.json')) || !existsSync(join(OUT_DIR, 'model.bin'))) return false;
  const m = JSON.parse(readFileSync(MANIFEST, 'utf8')) as { converted: Record<string, string> };
  return (
    sha256(readFileSync(join(OUT_DIR, 'model.json'))) === m.converted['backbone/model.json'] &&
    sha256(readFileSync(join(OUT_DIR, 'model.bin'))) === m.converted['backbone/model.bin']
  );
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-needed') && upToDate()) {
    console.log('models/backbone is up to date');
  } else {
    const { modelJson, bin, manifest } = convert();
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(join(OUT_DIR, 'model.json'), modelJson);
    writeFileSync(join(OUT_DIR, 'model.bin'), bin);
    writeFileSync(MANIFEST, JSON.stringify(manifest, null, 2) + '\n');
    console.log(`wrote models/backbone (${(bin.length / 1e6).toFixed(2)} MB of weights) and ${MANIFEST.slice(root.length + 1)}`);
  }
}
