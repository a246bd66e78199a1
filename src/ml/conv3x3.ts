// The 3×3 'same' convolution the label autoencoder (thesis §5.3.1) trains with. Its gradients are plain
// Conv2D calls, which the wasm backend runs on XNNPACK: wasm has no Conv2DBackpropFilter kernel, and its
// Conv2DBackpropInput took 1.66 s of a 1.94 s training step that takes 0.63 s this way (docs/labelAutoencoder.md).
import * as tf from '@tensorflow/tfjs';

/**
 * ∂L/∂w[ky,kx,i,o] = Σ_{b,y,x} xpad[b,y+ky,x+kx,i]·dy[b,y,x,o]: a 'valid' convolution of the padded input,
 * channels as batch, with dy (batch as channels) as an H×W filter.
 */
function filterGradient(x: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor4D {
  const xt = tf.transpose(tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]]), [3, 1, 2, 0]) as tf.Tensor4D;
  const dyt = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
  return tf.transpose(tf.conv2d(xt, dyt, 1, 'valid'), [1, 2, 0, 3]);
}

/** ∂L/∂x of a stride-1 'same' 3×3 convolution: dy convolved with the kernel turned 180° and in/out swapped. */
function inputGradient(dy: tf.Tensor4D, w: tf.Tensor4D): tf.Tensor4D {
  return tf.conv2d(dy, tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]), 1, 'same');
}

type Inputs = [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];

const withInputGradient = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = inputs as Inputs;
  save([x, w]);
  return {
    value: tf.conv2d(x, w, 1, 'same'),
    gradFunc: (dy: tf.Tensor, [xs, ws]: tf.Tensor[]) => [inputGradient(dy as tf.Tensor4D, ws as tf.Tensor4D), filterGradient(xs as tf.Tensor4D, dy as tf.Tensor4D)],
  };
});

// The first layer's input is the constant one-hot map: its gradient would be computed and thrown away.
const withoutInputGradient = tf.customGrad((...inputs: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = inputs as Inputs;
  save([x]);
  return {
    value: tf.conv2d(x, w, 1, 'same'),
    gradFunc: (dy: tf.Tensor, [xs]: tf.Tensor[]) => [tf.zerosLike(xs), filterGradient(xs as tf.Tensor4D, dy as tf.Tensor4D)],
  };
});

/** conv2d(x, w, 1, 'same') for a [3, 3, in, out] kernel; `constantInput` skips the gradient to x. */
export function conv3x3(x: tf.Tensor4D, w: tf.Tensor4D, constantInput = false): tf.Tensor4D {
  return (constantInput ? withoutInputGradient : withInputGradient)(x, w) as tf.Tensor4D;
}
