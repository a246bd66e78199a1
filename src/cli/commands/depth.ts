// `depth`: a depth map per photo (thesis §5.5, image input; docs/depth.md): the engine's superpixels and
// zoom-out features, the trained per-superpixel ridge, written as a 16-bit grayscale PNG in millimetres at
// the photo's upright size. No segmentation enters yet: the shipped model is the image path.
import { forEachInput, outputPath, requireFlag, type CliCommand } from '../command.ts';

export const depthCommand: CliCommand = {
  name: 'depth',
  summary: 'depth from one photo: a 16-bit PNG in millimetres per image',
  usage: 'depth IMAGE... --out DIR',
  options: { out: { type: 'string' } },
  async run(args) {
    const outDir = requireFlag(args, 'out');
    const [{ selectBackend }, { loadBackboneFromDisk, loadDepthModelFromDisk }, { readImageRgba, writeFileMkdir }, { superpixelFeatures }, { encodeDepthPng }] = await Promise.all([
      import('../../ml/backend.ts'),
      import('../../ml/loadFromDisk.ts'),
      import('../../ml/nodeImage.ts'),
      import('../../ml/segmentationEngine.ts'),
      import('../../core/depthMap.ts'),
    ]);
    await selectBackend('wasm');
    const [backbone, model] = await Promise.all([loadBackboneFromDisk(), loadDepthModelFromDisk()]);
    return forEachInput(args.inputs, async (input) => {
      const image = await readImageRgba(input);
      const photo = await superpixelFeatures(backbone, image);
      try {
        const depth = await model.predict(photo);
        await writeFileMkdir(outputPath(outDir, input, '.png'), encodeDepthPng(depth));
        const [lo, hi] = depth.metres.reduce<[number, number]>(([l, h], m) => [Math.min(l, m), Math.max(h, m)], [Infinity, 0]);
        console.log(`${input}: ${image.width}×${image.height}, ${lo.toFixed(2)}–${hi.toFixed(2)} m`);
      } finally {
        photo.features.dispose();
      }
    });
  },
};
