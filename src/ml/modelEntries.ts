// The models of the registry (ml/modelRegistry.ts). Adding a model: convert or train it into models/ with a
// manifest naming its files' sha256, and add its entry here.
import type { Backbone } from './backbone.ts';
import { Backbone as BackboneModel } from './backbone.ts';
import type { BackboneManifest } from './backboneManifest.ts';
import type { ModelFiles } from './modelArtifacts.ts';
import type { ModelEntry } from './modelRegistry.ts';

export const BACKBONE = 'backbone';

export function backboneEntry(manifest: BackboneManifest): ModelEntry<Backbone> {
  return {
    id: BACKBONE,
    name: manifest.name,
    files: manifest.converted,
    build: (files) => {
      const modelJson = JSON.parse(new TextDecoder().decode(files['backbone/model.json'])) as ModelFiles['modelJson'];
      return BackboneModel.load({ modelJson, weights: files['backbone/model.bin'] }, manifest);
    },
    dispose: (b) => b.dispose(),
  };
}
