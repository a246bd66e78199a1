// `label-ae`: label masks passed through the shipped label autoencoder (thesis §5.3.1): what the label model
// makes of each map, as a VOC-palette class-index PNG of the mask's own size.
import { readFile } from 'node:fs/promises';
import { forEachInput, outputPath, requireFlag, type CliCommand } from '../command.ts';

export const labelAeCommand: CliCommand = {
  name: 'label-ae',
  summary: 'label masks through the label autoencoder: one class-index PNG per mask',
  usage: 'label-ae MASK.png... --out DIR',
  options: { out: { type: 'string' } },
  async run(args) {
    const outDir = requireFlag(args, 'out');
    // Loaded here, not at the top: the CLI's other commands must not pay for tfjs.
    const [{ selectBackend }, { loadLabelAutoencoderFromDisk }, { reconstructClassMap }, png, { vocPalette }, { ConfusionMatrix }, { writeFileMkdir }] = await Promise.all([
      import('../../ml/backend.ts'),
      import('../../ml/loadFromDisk.ts'),
      import('../../ml/labelAutoencoder.ts'),
      import('../../core/pngCodec.ts'),
      import('../../core/labelSets.ts'),
      import('../../core/segmentationScore.ts'),
      import('../../ml/nodeImage.ts'),
    ]);
    await selectBackend('wasm');
    const ae = await loadLabelAutoencoderFromDisk();
    try {
      return await forEachInput(args.inputs, async (input) => {
        const { width, height, values } = png.decodeIndexPng(await readFile(input));
        if (values instanceof Uint16Array) throw new Error('expected an 8-bit class-index PNG, got 16 bits');
        const reconstructed = await reconstructClassMap(ae, { width, height, classes: values });
        await writeFileMkdir(outputPath(outDir, input, '.png'), png.encodeClassIndexPng(reconstructed, width, height, vocPalette()));
        const agreement = new ConfusionMatrix(ae.config.classes).add(values, reconstructed).meanIoU();
        console.log(`${input}: ${width}×${height}, mIoU ${(100 * agreement).toFixed(1)} against the mask (void not scored)`);
      });
    } finally {
      ae.dispose();
    }
  },
};
