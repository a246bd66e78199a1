// Worker side of fine-tuning the backbone (thesis §3.5; docs/finetune.md): a pixel head trained on the held
// photos' labels, then that head and the chosen blocks of the trainable backbone trained end to end
// (ml/finetune.ts); from then on pixel mode reads its maps through the fine-tuned backbone. A cancelled or
// failed run puts the weights back as they were before it. Between steps the requests waiting are answered, so
// painting while it runs gets labels (from the backbone as it was before the run).
import * as tf from '@tensorflow/tfjs';
import { finetunePixelModel } from '../ml/finetune.ts';
import { TRAINABLE_BACKBONE } from '../ml/modelEntries.ts';
import { FINETUNE, type TrainableBackbone } from '../ml/trainableBackbone.ts';
import type { FinetuneBlocks, FinetuneRequests } from './finetuneProtocol.ts';
import { pixelBackbone, pixelModeForFinetuning, usePixelBackbone } from './pixelSegmentation.ts';
import { pixelRunPhotos, trainOptions } from './segmentationHandlers.ts';
import { WorkerError } from './protocol.ts';
import { context, type Handlers } from './workerContext.ts';

/** Blocks fine-tuned by earlier runs stay changed: the saved model must carry the widest set any run trained. */
const widerBlocks = (a: FinetuneBlocks | undefined, b: FinetuneBlocks): FinetuneBlocks => (a && FINETUNE.indexOf(a) > FINETUNE.indexOf(b) ? a : b);

/** 256² crops at the default 512 long side; half the long side below it (a tiny input trains on tiny crops). */
const cropSide = (longSide: number, multiple: number) => Math.max(multiple, Math.min(256, Math.floor(longSide / 2 / multiple) * multiple));

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;

export const finetuneHandlers: Handlers<keyof FinetuneRequests> = {
  async finetune(req, progress, signal) {
    progress({ message: 'training the pixel head', fraction: 0 });
    const { model, finetune, notTrained } = await pixelModeForFinetuning(await pixelRunPhotos(req, req.targets), req.classes, { ...trainOptions(req.head), levels: req.levels, signal });
    const backbone = await context.models.load<TrainableBackbone>(TRAINABLE_BACKBONE, (fraction) => progress({ message: 'loading the trainable backbone', fraction }));
    backbone.setFinetune(req.blocks);
    const before = backbone.trainableVariables().map((v) => tf.clone(v));
    const stepMs: number[] = [];
    try {
      const losses = await finetunePixelModel(backbone, model, finetune, {
        steps: req.steps,
        longSide: req.longSide,
        side: cropSide(req.longSide, backbone.manifest.input.sideMultiple),
        signal,
        // Strokes painted meanwhile are answered between steps; a model load among them ends the run.
        betweenSteps: async () => {
          await context.yieldToForeground();
          if (context.models.loaded(TRAINABLE_BACKBONE) !== backbone) throw new WorkerError('cancelled', 'the models were loaded again');
        },
        onRetry: ({ batch, side, error }) => progress({ message: `out of memory (${error}): retrying with ${batch} crop${batch === 1 ? '' : 's'} of ${side}² a step` }),
        onStep: ({ step, steps, loss, ms }) => {
          stepMs.push(ms);
          progress({ message: `step ${step}/${steps}, loss ${loss.toFixed(3)}`, fraction: step / steps, loss });
        },
      });
      const blocks = widerBlocks(pixelBackbone()?.blocks, req.blocks);
      usePixelBackbone({ backbone, blocks });
      const { data, specs } = await backbone.encodeWeights(blocks);
      return { blocks: req.blocks, losses, photos: finetune.length, notTrained, stepMs: median(stepMs), weights: { blocks, specs, data: new Uint8Array(data) } };
    } catch (err) {
      if (context.models.loaded(TRAINABLE_BACKBONE) === backbone) backbone.trainableVariables().forEach((v, i) => v.assign(before[i]));
      throw err;
    } finally {
      tf.dispose(before);
      model.head.dispose();
    }
  },

  async 'load-finetune'({ blocks, specs, data }) {
    const backbone = await context.models.load<TrainableBackbone>(TRAINABLE_BACKBONE);
    backbone.assignWeights(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer, specs);
    usePixelBackbone({ backbone, blocks });
    return null;
  },

  async 'reset-finetune'() {
    usePixelBackbone(undefined);
    context.models.unload(TRAINABLE_BACKBONE);
    return null;
  },
};
