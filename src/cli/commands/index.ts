// The command registry: each command lives in its own file and is listed here once.
import type { CliCommand } from '../command.ts';
import { depthCommand } from './depth.ts';
import { exportCommand } from './export.ts';
import { featuresCommand } from './features.ts';
import { infoCommand } from './info.ts';
import { labelAeCommand } from './labelAe.ts';
import { segmentCommand } from './segment.ts';
import { slicCommand } from './slic.ts';
import { trainCommand } from './train.ts';

export const commands: CliCommand[] = [infoCommand, featuresCommand, slicCommand, segmentCommand, trainCommand, exportCommand, labelAeCommand, depthCommand];
