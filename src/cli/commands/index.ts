// The command registry: each command lives in its own file and is listed here once.
import type { CliCommand } from '../command.ts';
import { slicCommand } from './slic.ts';

export const commands: CliCommand[] = [slicCommand];
