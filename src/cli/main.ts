// `npm run cli -- <command> ...`: the studio's core and ml code, headless under Node.
import type { CliCommand } from './command.ts';
import { parseArgs } from './command.ts';
import { commands } from './commands/index.ts';

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
    return await cmd.run(parseArgs(rest));
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
