// The Web Worker that owns tfjs and every heavy computation; the UI thread only draws.
import { selectBackend } from '../ml/backend.ts';
import { Backbone, disposeOutputs, type BackboneOutputs } from '../ml/backbone.ts';
import { classPeaks, normalizedChannel } from '../ml/mapViews.ts';
import { modelInputSize, type Size } from '../core/modelInputSize.ts';
import { fetchModelFiles, manifest, useLocalWasm } from './bundledModel.ts';
import { PhotoCache } from './photoCache.ts';
import type { Progress, RequestMessage, Requests, RequestType, ResponseMessage } from './protocol.ts';

interface PhotoEntry {
  inputSize: Size;
  outputs: BackboneOutputs;
}

let backbone: Backbone | undefined;
const photos = new PhotoCache<PhotoEntry>(6, (e) => disposeOutputs(e.outputs));

type Handler<K extends RequestType> = (payload: Requests[K]['req'], progress: (p: Progress) => void) => Promise<Requests[K]['res']>;

function requireBackbone(): Backbone {
  if (!backbone) throw new Error('the model is not loaded yet');
  return backbone;
}

function requirePhoto(photoId: string): PhotoEntry {
  const entry = photos.get(photoId);
  if (!entry) throw new Error('this photo has not been analysed yet');
  return entry;
}

const handlers: { [K in RequestType]: Handler<K> } = {
  async init({ backend }, progress) {
    const t0 = performance.now();
    useLocalWasm();
    progress({ message: 'starting backend' });
    const choice = await selectBackend(backend);
    progress({ message: 'loading weights', fraction: 0 });
    const files = await fetchModelFiles((fraction) => progress({ message: 'loading weights', fraction }));
    photos.clear();
    backbone?.dispose();
    backbone = await Backbone.load(files, manifest);
    return {
      backend: choice,
      model: { name: manifest.name, taps: manifest.taps, classes: manifest.heatmaps.classes },
      loadMs: performance.now() - t0,
    };
  },

  async analyze({ photoId, image, longSide }) {
    const model = requireBackbone();
    const inputSize = modelInputSize(image.width, image.height, longSide);
    const input = Backbone.prepareInput(image, inputSize);
    const t0 = performance.now();
    let outputs: BackboneOutputs;
    try {
      outputs = model.forward(input);
    } finally {
      input.dispose();
    }
    const classScores = await classPeaks(outputs.keypoints);
    const forwardMs = performance.now() - t0;
    photos.set(photoId, { inputSize, outputs });
    return { inputSize, forwardMs, classScores };
  },

  async heatmap({ photoId, kind, index }) {
    const { outputs } = requirePhoto(photoId);
    if (kind === 'class') return normalizedChannel(outputs.keypoints, index);
    const tap = outputs.taps[index];
    if (!tap) throw new Error(`no tap ${index}`);
    return normalizedChannel(tap);
  },

  async forget({ photoId }) {
    photos.delete(photoId);
    return null;
  },
};

function post(msg: ResponseMessage, transfer: Transferable[] = []): void {
  (self as unknown as Worker).postMessage(msg, transfer);
}

/** Typed arrays in a result are transferred, not copied. */
function transferables(value: unknown): Transferable[] {
  if (!value || typeof value !== 'object') return [];
  if (ArrayBuffer.isView(value)) return [value.buffer as ArrayBuffer];
  return Object.values(value).flatMap(transferables);
}

// Requests run one at a time: tfjs work is single-threaded anyway, and ordering keeps caches consistent.
let queue: Promise<void> = Promise.resolve();

self.onmessage = (e: MessageEvent<RequestMessage>) => {
  const { id, type, payload } = e.data;
  queue = queue.then(async () => {
    try {
      const handler = handlers[type] as Handler<typeof type>;
      const result = await handler(payload as never, (progress) => post({ id, type: 'progress', progress }));
      post({ id, type: 'result', payload: result }, [...new Set(transferables(result))]);
    } catch (err) {
      post({ id, type: 'error', message: err instanceof Error ? err.message : String(err) });
    }
  });
};
