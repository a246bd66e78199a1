// `npm run cli -- <command> ...`: the studio's core and ml code, headless under Node.
import type { CliCommand } from './command.ts';
import { booleanFlag, parseArgs, UsageError } from './command.ts';
import { commands } from './commands/index.ts';
import { useSlicWasm } from '../core/slic.ts';
import { loadSlicWasmFromDisk } from '../ml/nodeSlicWasm.ts';

function help(list: CliCommand[]): string {
  const lines = ['usage: npm run cli -- <command> [inputs...] [--flags]', '', 'commands:'];
  for (const c of list) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`, `  ${''.padEnd(10)} ${c.usage}`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help') {
    console.log(help(commands));
    return name ? 0 : 2;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    console.error(`unknown command '${name}'\n\n${help(commands)}`);
    return 2;
  }
  try {
    useSlicWasm(await loadSlicWasmFromDisk());
    const args = parseArgs(rest, { help: { type: 'boolean' }, ...cmd.options });
    if (cmd.options.help === undefined && booleanFlag(args, 'help')) {
      console.log(`usage: npm run cli -- ${cmd.usage}`);
      return 0;
    }
    return await cmd.run(args);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`error: ${cmd.name}: ${err.message} (usage: ${cmd.usage})`);
      return 2;
    }
    console.error(`error: ${(err as Error).message}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
