// The three gradient kernels fine-tuning the backbone needs (thesis §3.5; docs/finetune.md) that
// tfjs-backend-wasm 4.22 does not register: Conv2DBackpropFilter and the depthwise convolution's two backprops.
// Written here in TypeScript on the wasm heap, as tfjs's cpu backend computes them, so WASM — the studio's
// backend wherever no hardware GPU is found — can train; checked against the cpu backend's kernels in the test.
import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

type Info = ReturnType<typeof tf.backend_util.computeConv2DInfo>;
type TensorInfo = tf.TensorInfo;

/**
 * Calls `visit(xAt, dyAt, tap)` for every pair of an output position and a filter tap whose input pixel lies
 * inside the image: element offsets of that input pixel in x and of the output pixel in dy (NHWC), and the tap's
 * index kh·filterWidth + kw.
 */
function forEachTap(info: Info, visit: (xAt: number, dyAt: number, tap: number) => void): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, strideHeight, strideWidth, dilationHeight, dilationWidth, filterHeight, filterWidth, padInfo } = info;
  for (let b = 0; b < batchSize; b++) {
    for (let y = 0; y < outHeight; y++) {
      for (let x = 0; x < outWidth; x++) {
        const dyAt = ((b * outHeight + y) * outWidth + x) * outChannels;
        for (let kh = 0; kh < filterHeight; kh++) {
          const i = y * strideHeight + kh * dilationHeight - padInfo.top;
          if (i < 0 || i >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const j = x * strideWidth + kw * dilationWidth - padInfo.left;
            if (j < 0 || j >= inWidth) continue;
            visit(((b * inHeight + i) * inWidth + j) * inChannels, dyAt, kh * filterWidth + kw);
          }
        }
      }
    }
  }
}

interface KernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: object;
  attrs?: tf.NamedAttrMap;
}

function input(inputs: tf.NamedTensorInfoMap, name: string): TensorInfo {
  const t = inputs[name];
  if (!t) throw new Error(`wasm gradient kernel: no input ${name}`);
  return t;
}

const data = (backend: BackendWasm, t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;

/** A zeroed output on the wasm heap. Made before the inputs' views are taken: allocating may grow the heap, which detaches views taken earlier. */
function output(backend: BackendWasm, shape: number[]): { info: TensorInfo; values: Float32Array } {
  const info = backend.makeOutput(shape, 'float32');
  const values = data(backend, info);
  values.fill(0);
  return { info, values };
}

const shape4 = (t: TensorInfo) => t.shape as [number, number, number, number];

/** dW[kh, kw, ci, co] = Σ x[b, i, j, ci] · dy[b, y, x, co] over the positions the tap (kh, kw) links. */
function conv2dBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const wasm = backend as BackendWasm;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter on wasm: only NHWC, not ${dataFormat}`);
  const info = tf.backend_util.computeConv2DInfo(shape4(input(inputs, 'x')), filterShape, strides, 1, pad, dimRoundingMode);
  const { inChannels, outChannels } = info;
  const dw = output(wasm, filterShape);
  const [x, dy] = [data(wasm, input(inputs, 'x')), data(wasm, input(inputs, 'dy'))];
  const grad = dw.values;
  forEachTap(info, (xAt, dyAt, tap) => {
    for (let ci = 0; ci < inChannels; ci++) {
      const v = x[xAt + ci];
      if (v === 0) continue;
      const row = (tap * inChannels + ci) * outChannels;
      for (let co = 0; co < outChannels; co++) grad[row + co] += v * dy[dyAt + co];
    }
  });
  return dw.info;
}

function depthwiseInfo(xShape: [number, number, number, number], filterShape: [number, number, number, number], attrs: tf.DepthwiseConv2dNativeBackpropFilterAttrs | tf.DepthwiseConv2dNativeBackpropInputAttrs): Info {
  return tf.backend_util.computeConv2DInfo(xShape, filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
}

/** dW[kh, kw, c, m] = Σ x[b, i, j, c] · dy[b, y, x, c·M + m], M the channel multiplier. */
function depthwiseBackpropFilter({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const wasm = backend as BackendWasm;
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = depthwiseInfo(shape4(input(inputs, 'x')), a.filterShape, a);
  const channels = info.inChannels;
  const multiplier = a.filterShape[3];
  const dw = output(wasm, a.filterShape);
  const [x, dy] = [data(wasm, input(inputs, 'x')), data(wasm, input(inputs, 'dy'))];
  const grad = dw.values;
  const perTap = channels * multiplier;
  forEachTap(info, (xAt, dyAt, tap) => {
    const row = tap * perTap;
    for (let c = 0; c < channels; c++) {
      const v = x[xAt + c];
      for (let m = 0; m < multiplier; m++) grad[row + c * multiplier + m] += v * dy[dyAt + c * multiplier + m];
    }
  });
  return dw.info;
}

/** dx[b, i, j, c] = Σ dy[b, y, x, c·M + m] · W[kh, kw, c, m] over the outputs the pixel (i, j) feeds. */
function depthwiseBackpropInput({ inputs, backend, attrs }: KernelArgs): TensorInfo {
  const wasm = backend as BackendWasm;
  const a = attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const filterShape = shape4(input(inputs, 'filter'));
  const info = depthwiseInfo(a.inputShape, filterShape, a);
  const channels = info.inChannels;
  const multiplier = filterShape[3];
  const dx = output(wasm, a.inputShape);
  const [dy, w] = [data(wasm, input(inputs, 'dy')), data(wasm, input(inputs, 'filter'))];
  const grad = dx.values;
  const perTap = channels * multiplier;
  forEachTap(info, (xAt, dyAt, tap) => {
    const row = tap * perTap;
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let m = 0; m < multiplier; m++) sum += dy[dyAt + c * multiplier + m] * w[row + c * multiplier + m];
      grad[xAt + c] += sum;
    }
  });
  return dx.info;
}

for (const [kernelName, kernelFunc] of [
  ['Conv2DBackpropFilter', conv2dBackpropFilter],
  ['DepthwiseConv2dNativeBackpropFilter', depthwiseBackpropFilter],
  ['DepthwiseConv2dNativeBackpropInput', depthwiseBackpropInput],
] as const) {
  if (!tf.getKernel(kernelName, 'wasm')) tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc });
}
