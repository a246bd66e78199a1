// `depth`: a depth map per photo (thesis §5.5; docs/depth.md), written as a 16-bit grayscale PNG in millimetres
// at the input's upright size. From a photo: the engine's superpixels and zoom-out features, the trained
// per-superpixel ridge (image input). With --segmentation the inputs are label maps and the
// depth-from-segmentation net reads them alone: NYUv2's 13 class values (what the studio exports under the
// indoor preset), the outdoor preset's, or the depth classes' own values (--classes nyu|outdoor|depth).
// --model FILE uses a depth model the studio exported after fine-tuning on measured photos instead of the shipped one.
import { booleanFlag, forEachInput, outputPath, requireFlag, type CliCommand, type ParsedArgs } from '../command.ts';

const range = (metres: Float32Array) => metres.reduce<[number, number]>(([l, h], m) => [Math.min(l, m), Math.max(h, m)], [Infinity, 0]);
/** What the PNG holds of a range: beyond `limit` metres (an outdoor sky) the 16-bit millimetres are clamped. */
const clampedNote = (hi: number, limit: number) => (hi > limit ? ` (beyond ${limit} m written as ${limit} m, the 16-bit PNG's limit)` : '');

async function depthFromSegmentation(args: ParsedArgs, outDir: string): Promise<number> {
  const [{ selectBackend }, { loadSegmentationDepthFromDisk }, { writeFileMkdir }, { depthFromLabelMap }, { encodeDepthPng, MAX_DEPTH_PNG_METRES }, { decodeIndexPng }, { readFile }, { depthClassIndexMap }, labelSets] = await Promise.all([
    import('../../ml/backend.ts'),
    import('../../ml/loadFromDisk.ts'),
    import('../../ml/nodeImage.ts'),
    import('../../ml/segmentationDepthNet.ts'),
    import('../../core/depthMap.ts'),
    import('../../core/pngCodec.ts'),
    import('node:fs/promises'),
    import('../../core/depthClasses.ts'),
    import('../../core/labelSets.ts'),
  ]);
  const sets = { nyu: labelSets.nyuLabelSet(), outdoor: labelSets.outdoorLabelSet(), depth: { id: 'depth', classes: ['background', ...labelSets.DEPTH_CLASSES].map((name) => ({ name, color: '#000000' })) } };
  const classSet = args.flags.get('classes') ?? 'nyu';
  if (!(classSet in sets)) throw new Error(`--classes ${classSet}: expected nyu, outdoor or depth`);
  // Values the set lacks (255 = void among them) read as unlabelled.
  const toDepth = depthClassIndexMap(sets[classSet as keyof typeof sets]);
  await selectBackend('wasm');
  const net = await loadSegmentationDepthFromDisk();
  return forEachInput(args.inputs, async (input) => {
    const png = decodeIndexPng(await readFile(input));
    if (png.values instanceof Uint16Array) throw new Error('a label map holds 8-bit class indices; this PNG is 16-bit');
    const classes = Uint8Array.from(png.values, (v) => toDepth[v]);
    const metres = depthFromLabelMap(net, { width: png.width, height: png.height, classes });
    await writeFileMkdir(outputPath(outDir, input, '.png'), encodeDepthPng({ width: png.width, height: png.height, metres }));
    const [lo, hi] = range(metres);
    console.log(`${input}: ${png.width}×${png.height} label map, ${lo.toFixed(2)}–${hi.toFixed(2)} m${clampedNote(hi, MAX_DEPTH_PNG_METRES)}`);
  });
}

export const depthCommand: CliCommand = {
  name: 'depth',
  summary: 'depth from one photo: a 16-bit PNG in millimetres per image',
  usage: 'depth IMAGE... --out DIR [--model FILE.json] | depth --segmentation LABELS.png... --out DIR [--classes nyu|outdoor|depth]',
  options: { out: { type: 'string' }, segmentation: { type: 'boolean' }, classes: { type: 'string' }, model: { type: 'string' } },
  async run(args) {
    const outDir = requireFlag(args, 'out');
    if (booleanFlag(args, 'segmentation')) return depthFromSegmentation(args, outDir);
    const [{ selectBackend }, { loadBackboneFromDisk, loadDepthModelFromDisk }, { readImageRgba, writeFileMkdir }, { superpixelFeatures }, { encodeDepthPng }, { DepthModel }, { readFile }] = await Promise.all([
      import('../../ml/backend.ts'),
      import('../../ml/loadFromDisk.ts'),
      import('../../ml/nodeImage.ts'),
      import('../../ml/segmentationEngine.ts'),
      import('../../core/depthMap.ts'),
      import('../../ml/depthModel.ts'),
      import('node:fs/promises'),
    ]);
    await selectBackend('wasm');
    const modelFile = args.flags.get('model');
    const loadModel = async () => {
      if (!modelFile) return loadDepthModelFromDisk();
      const bytes = await readFile(modelFile);
      try {
        return DepthModel.fromBytes(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      } catch (err) {
        throw new Error(`${modelFile}: ${(err as Error).message}`);
      }
    };
    const [backbone, model] = await Promise.all([loadBackboneFromDisk(), loadModel()]);
    return forEachInput(args.inputs, async (input) => {
      const image = await readImageRgba(input);
      const photo = await superpixelFeatures(backbone, image);
      try {
        const depth = await model.predict(photo);
        await writeFileMkdir(outputPath(outDir, input, '.png'), encodeDepthPng(depth));
        const [lo, hi] = range(depth.metres);
        console.log(`${input}: ${image.width}×${image.height}, ${lo.toFixed(2)}–${hi.toFixed(2)} m`);
      } finally {
        photo.features.dispose();
      }
    });
  },
};
