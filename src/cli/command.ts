// The CLI's pluggable command shape and the flag parsing every command shares.
import { basename, extname, join } from 'node:path';

export interface ParsedArgs {
  /** Positional arguments (input files). */
  inputs: string[];
  /** `--name value` and `--flag` (value 'true'). */
  flags: Map<string, string>;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  run(args: ParsedArgs): Promise<number>;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const inputs: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1));
      else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags.set(a.slice(2), argv[++i]);
      else flags.set(a.slice(2), 'true');
    } else inputs.push(a);
  }
  return { inputs, flags };
}

export function numberFlag(args: ParsedArgs, name: string, fallback: number): number {
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`--${name} expects a number, got '${v}'`);
  return n;
}

export function requireFlag(args: ParsedArgs, name: string): string {
  const v = args.flags.get(name);
  if (v === undefined || v === 'true') throw new Error(`--${name} is required`);
  return v;
}

/** `DIR/<stem of input><ext>`: every command writes one output per input, named by the input's stem. */
export function outputPath(outDir: string, input: string, ext: string): string {
  return join(outDir, basename(input, extname(input)) + ext);
}

/**
 * Runs `fn` on each input; a failing input prints one clear line and the others still run.
 * Returns the process exit code: 0 when all succeeded, 1 otherwise.
 */
export async function forEachInput(inputs: string[], fn: (input: string) => Promise<void>): Promise<number> {
  if (inputs.length === 0) {
    console.error('error: no input files given');
    return 2;
  }
  let failed = 0;
  for (const input of inputs) {
    try {
      await fn(input);
    } catch (err) {
      failed++;
      console.error(`${input}: ${(err as Error).message}`);
    }
  }
  if (failed > 0) console.error(`${failed} of ${inputs.length} inputs failed`);
  return failed > 0 ? 1 : 0;
}
