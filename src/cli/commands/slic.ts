// `slic`: SLIC superpixel label maps (thesis §2.1.1.1) as 16-bit grayscale PNGs, one per input image.
import { numberFlag, outputPath, requireFlag, forEachInput, UsageError, type CliCommand } from '../command.ts';

export const slicCommand: CliCommand = {
  name: 'slic',
  summary: 'SLIC superpixels: one 16-bit label PNG per image',
  usage: 'slic IMAGE... --out DIR [--k 500] [--m 15] [--iterations 3] [--engine wasm|ts]',
  options: { out: { type: 'string' }, k: { type: 'string' }, m: { type: 'string' }, iterations: { type: 'string' }, engine: { type: 'string' } },
  async run(args) {
    const outDir = requireFlag(args, 'out');
    // Loaded here, not at the top: the CLI's other commands pull in tfjs, which this one must not pay for.
    const [{ readImageRgba, writeLabelPng16 }, { slicLabels, slicParams, SLIC_DEFAULTS, useSlicWasm }] = await Promise.all([import('../../ml/nodeImage.ts'), import('../../core/slic.ts')]);
    const engine = args.flags.get('engine') ?? 'wasm';
    if (engine !== 'wasm' && engine !== 'ts') throw new UsageError(`--engine must be wasm or ts, got '${engine}'`);
    // The CLI installs the WebAssembly kernel for every command; the TypeScript one stays for comparison.
    if (engine === 'ts') useSlicWasm(undefined);
    // Checked once here so a bad flag is one error, not one per image.
    const options = slicParams({
      k: numberFlag(args, 'k', SLIC_DEFAULTS.k),
      m: numberFlag(args, 'm', SLIC_DEFAULTS.m),
      maxIterations: numberFlag(args, 'iterations', SLIC_DEFAULTS.maxIterations),
    });
    return forEachInput(args.inputs, async (input) => {
      const image = await readImageRgba(input);
      const start = performance.now();
      const { labels, count } = slicLabels(image, options);
      const ms = performance.now() - start;
      await writeLabelPng16(outputPath(outDir, input, '.png'), labels, image.width, image.height);
      console.log(`${input}: ${count} superpixels, ${ms.toFixed(1)} ms`);
    }, { inFlight: 2 });
  },
};
