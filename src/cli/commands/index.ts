// The command registry: each command lives in its own file and is listed here once.
import type { CliCommand } from '../command.ts';

export const commands: CliCommand[] = [];
