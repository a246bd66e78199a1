// The pretrained backbone: one forward pass gives every zoom-out tap (thesis §3.3.1), the scene vector and
// the COCO heads. Tensors stay on the backend; callers dispose what they receive.
import * as tf from '@tensorflow/tfjs';
import type { RgbaImage } from '../core/types.ts';
import type { Size } from '../core/modelInputSize.ts';
import type { BackboneManifest } from './backboneManifest.ts';
import { ioHandler, type ModelFiles } from './modelArtifacts.ts';

export interface BackboneOutputs {
  /** One map per manifest tap, in manifest order, each [1, H/stride, W/stride, C]. */
  taps: tf.Tensor4D[];
  /** [C] spatial mean of the scene tap. */
  scene: tf.Tensor1D;
  /** [1, H/4, W/4, 80] COCO centre heatmaps (sigmoid). */
  keypoints: tf.Tensor4D;
  /** [1, H/4, W/4, 4] box-edge distances. */
  wh: tf.Tensor4D;
}

export class Backbone {
  private constructor(
    readonly manifest: BackboneManifest,
    private readonly model: tf.GraphModel,
    private readonly nodes: string[],
  ) {}

  /** From files already verified (ml/modelRegistry.ts). */
  static async load(files: ModelFiles, manifest: BackboneManifest): Promise<Backbone> {
    const model = await tf.loadGraphModel(ioHandler(files));
    return new Backbone(manifest, model, outputNodes(manifest));
  }

  /** RGBA pixels → the [1, H, W, 3] float input in 0..255 at `size` (bilinear). */
  /** The model's input for `image` at `size`; `mirrored`: flipped left-right (flip inference, thesis §3.5.1). */
  static prepareInput(image: RgbaImage, size: Size, mirrored = false): tf.Tensor4D {
    return tf.tidy(() => {
      const rgba = tf.tensor3d(image.data instanceof Int32Array ? image.data : Int32Array.from(image.data), [image.height, image.width, 4], 'int32');
      const rgb = tf.slice(rgba, [0, 0, 0], [-1, -1, 3]).toFloat();
      const sized = image.width === size.width && image.height === size.height ? rgb : tf.image.resizeBilinear(rgb, [size.height, size.width], false, true);
      return (mirrored ? tf.reverse(sized, 1) : sized).expandDims(0) as tf.Tensor4D;
    });
  }

  forward(input: tf.Tensor4D): BackboneOutputs {
    checkInputSides(this.manifest, input);
    const results = this.model.execute({ [this.manifest.input.node]: input }, this.nodes) as tf.Tensor[];
    return collectOutputs(this.manifest, new Map(this.nodes.map((n, i) => [n, results[i]])));
  }

  dispose(): void {
    this.model.dispose();
  }

  tensors(): number {
    return Object.values(this.model.weights).reduce((n, ts) => n + ts.length, 0);
  }
}

function outputList(out: BackboneOutputs): tf.Tensor[] {
  return [...out.taps, out.scene, out.keypoints, out.wh];
}

export function disposeOutputs(out: BackboneOutputs): void {
  tf.dispose(outputList(out));
}

export function outputTensors(out: BackboneOutputs): number {
  return outputList(out).length;
}

/** The graph nodes a forward pass computes: every tap, the scene tap and the two COCO heads. */
export function outputNodes(manifest: BackboneManifest): string[] {
  return [...new Set([...manifest.taps.map((t) => t.node), manifest.scene.node, manifest.heatmaps.node, manifest.boxes.node])];
}

export function checkInputSides(manifest: BackboneManifest, input: tf.Tensor4D): void {
  const { sideMultiple } = manifest.input;
  const [, h, w] = input.shape;
  if (h % sideMultiple || w % sideMultiple) throw new RangeError(`input ${w}×${h} must have sides that are multiples of ${sideMultiple}`);
}

/** The outputs from the computed `outputNodes`; a node no output keeps (the scene tap's map) is disposed. */
export function collectOutputs(manifest: BackboneManifest, byNode: Map<string, tf.Tensor>): BackboneOutputs {
  const scene = tf.tidy(() => byNode.get(manifest.scene.node)!.mean([0, 1, 2]) as tf.Tensor1D);
  const used = new Set([...manifest.taps.map((t) => t.node), manifest.heatmaps.node, manifest.boxes.node]);
  for (const [node, t] of byNode) if (!used.has(node)) t.dispose();
  return {
    taps: manifest.taps.map((t) => byNode.get(t.node) as tf.Tensor4D),
    scene,
    keypoints: byNode.get(manifest.heatmaps.node) as tf.Tensor4D,
    wh: byNode.get(manifest.boxes.node) as tf.Tensor4D,
  };
}
