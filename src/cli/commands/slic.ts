// `slic`: SLIC superpixel label maps (thesis §2.1.1.1) as 16-bit grayscale PNGs, one per input image.
import { numberFlag, outputPath, requireFlag, forEachInput, type CliCommand } from '../command.ts';

export const slicCommand: CliCommand = {
  name: 'slic',
  summary: 'SLIC superpixels: one 16-bit label PNG per image',
  usage: 'slic IMAGE... --out DIR [--k 500] [--m 15] [--iterations 4]',
  async run(args) {
    const outDir = requireFlag(args, 'out');
    const k = numberFlag(args, 'k', 500);
    const m = numberFlag(args, 'm', 15);
    const maxIterations = numberFlag(args, 'iterations', 4);
    // Loaded here, not at the top: the CLI's other commands pull in tfjs, which this one must not pay for.
    const [{ readImageRgba, writeFileMkdir }, { slicLabels }, { encodeLabelPng16 }] = await Promise.all([
      import('../nodeImage.ts'),
      import('../../core/slic.ts'),
      import('../../core/pngCodec.ts'),
    ]);
    return forEachInput(args.inputs, async (input) => {
      const image = await readImageRgba(input);
      const start = performance.now();
      const { labels, count } = slicLabels(image, { k, m, maxIterations });
      const ms = performance.now() - start;
      await writeFileMkdir(outputPath(outDir, input, '.png'), encodeLabelPng16(labels, image.width, image.height));
      console.log(`${input}: ${count} superpixels, ${ms.toFixed(1)} ms`);
    });
  },
};
