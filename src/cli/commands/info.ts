// `cli info`: the backend the CLI runs on and a summary of the bundled backbone.
import type { CliCommand } from '../command.ts';
import { loadNodeModel } from '../nodeModel.ts';

export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'backend and backbone summary',
  usage: 'info',
  options: {},
  async run() {
    const { backbone, backend, loadMs } = await loadNodeModel();
    const m = backbone.manifest;
    console.log(`backend   ${backend.name}`);
    console.log(`model     ${m.name}, loaded in ${loadMs.toFixed(0)} ms`);
    console.log(`source    ${m.source.package}@${m.source.version}`);
    console.log(`input     ${m.input.node}, RGB 0..255, sides multiples of ${m.input.sideMultiple}`);
    console.log('taps');
    for (const t of m.taps) console.log(`  ${t.level.padEnd(3)} stride ${String(t.stride).padStart(2)}  ${String(t.channels).padStart(4)} ch  ${t.node}`);
    console.log(`scene     ${m.scene.channels} ch (spatial mean of ${m.scene.node})`);
    console.log(`heatmaps  ${m.heatmaps.classes.length} COCO classes at stride ${m.heatmaps.stride}`);
    backbone.dispose();
    return 0;
  },
};
