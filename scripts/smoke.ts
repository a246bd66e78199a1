import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/ml/backend.ts';
import { loadBackboneFromDisk } from '../src/ml/loadFromDisk.ts';
import { Backbone, disposeOutputs } from '../src/ml/backbone.ts';
import { readImageRgba } from '../src/cli/nodeImage.ts';
const b = await selectBackend('auto'); console.log(b);
const bb = await loadBackboneFromDisk();
const img = await readImageRgba('/work/shared/data/samples/astronaut.png');
const x = Backbone.prepareInput(img, { width: 512, height: 512 });
for (let i = 0; i < 3; i++) { const t0 = performance.now(); const o = bb.forward(x); await o.keypoints.data(); console.log(performance.now() - t0); if (i==2) { console.log(o.taps.map(t=>t.shape.join('x'))); const s = await o.keypoints.max([0,1,2]).data(); const top=[...s].map((v,i)=>[v,bb.manifest.heatmaps.classes[i]]).sort((a,b)=>+b[0]-+a[0]).slice(0,3); console.log(top);} disposeOutputs(o); }
console.log(tf.memory().numTensors);
