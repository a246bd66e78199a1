// `cli features IMAGE...`: runs the backbone on each photo and prints every tap's shape and the time.
import { forEachInput, numberFlag, outputPath, type CliCommand } from '../command.ts';
import { readImageRgba, writeFileMkdir } from '../../ml/nodeImage.ts';
import { loadNodeModel } from '../nodeModel.ts';

export const featuresCommand: CliCommand = {
  name: 'features',
  summary: 'backbone tap shapes and forward time per image',
  usage: 'features IMAGE... [--long-side 512] [--out DIR (writes <stem>.json)]',
  options: { 'long-side': { type: 'string' }, out: { type: 'string' } },
  async run(args) {
    const longSide = numberFlag(args, 'long-side', 512);
    const outDir = args.flags.get('out');
    const [{ backbone }, { Backbone, disposeOutputs }, { modelInputSize }, { classPeaks }] = await Promise.all([
      loadNodeModel(),
      import('../../ml/backbone.ts'),
      import('../../core/modelInputSize.ts'),
      import('../../ml/mapViews.ts'),
    ]);
    return forEachInput(args.inputs, async (input) => {
      const image = await readImageRgba(input);
      const size = modelInputSize(image.width, image.height, longSide);
      const x = Backbone.prepareInput(image, size);
      const t0 = performance.now();
      const out = backbone.forward(x);
      await out.keypoints.data();
      const ms = performance.now() - t0;
      const peaks = await classPeaks(out.keypoints);
      console.log(`${input}: ${image.width}×${image.height} → input ${size.width}×${size.height}, forward ${ms.toFixed(0)} ms`);
      backbone.manifest.taps.forEach((t, i) => console.log(`  ${t.level.padEnd(3)} ${out.taps[i].shape.join('×').padEnd(16)} ${t.node}`));
      console.log(`  S2  ${out.scene.shape.join('×').padEnd(16)} scene vector`);
      if (outDir) {
        const summary = {
          image: { width: image.width, height: image.height },
          input: size,
          forwardMs: ms,
          taps: backbone.manifest.taps.map((t, i) => ({ ...t, shape: out.taps[i].shape })),
          scene: Array.from(await out.scene.data()),
          classPeaks: Object.fromEntries(backbone.manifest.heatmaps.classes.map((c, i) => [c, peaks[i]])),
        };
        await writeFileMkdir(outputPath(outDir, input, '.json'), new TextEncoder().encode(JSON.stringify(summary, null, 1)));
      }
      x.dispose();
      disposeOutputs(out);
    });
  },
};
