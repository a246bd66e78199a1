// The CLI's pluggable command shape and the flag parsing every command shares.
import { basename, extname, join } from 'node:path';
import { parseArgs as parseNodeArgs } from 'node:util';

/** One `--name` a command accepts: a string option takes a value (`--k 3` or `--k=3`), a boolean one none. */
export type CliOption = { type: 'string'; default?: string } | { type: 'boolean'; default?: boolean };

/** A command's options by name (without the leading `--`). */
export type CliOptions = Record<string, CliOption>;

export interface ParsedArgs {
  /** Positional arguments (input files), in order. */
  inputs: string[];
  /** String options given on the command line, or their declared default. */
  flags: Map<string, string>;
  /** Boolean options that are on (given, or on by default). */
  switches: Set<string>;
  /** The options the arguments were parsed against, so a read of an undeclared flag is caught. */
  options: CliOptions;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Every flag the command reads; anything else on its command line is an error. */
  options: CliOptions;
  run(args: ParsedArgs): Promise<number>;
}

/** A malformed command line (unknown flag, flag without its value): the CLI prints it and exits with 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function usageMessage(err: Error & { code?: string }): string {
  const flag = /'(--?[^' ]+)/.exec(err.message)?.[1] ?? 'a flag';
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag '${flag}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(err.message)) return `${flag} takes no value`;
      if (/ambiguous/.test(err.message)) return `${flag} needs a value, got another flag (write ${flag}=VALUE for a value that starts with '-')`;
      return `${flag} needs a value`;
    default:
      return err.message.split('\n')[0];
  }
}

/**
 * Parses `argv` against the declared options with `node:util` parseArgs, strictly: an unknown flag, a string
 * flag without its value (`--out` last, or `--out --k 3`) and a value given to a boolean flag throw a
 * UsageError. Positionals (anywhere, and everything after `--`) are the inputs.
 */
export function parseArgs(argv: string[], options: CliOptions): ParsedArgs {
  let parsed: ReturnType<typeof parseNodeArgs>;
  try {
    parsed = parseNodeArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (err) {
    throw new UsageError(usageMessage(err as Error & { code?: string }));
  }
  const flags = new Map<string, string>();
  const switches = new Set<string>();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (typeof value === 'string') flags.set(name, value);
    else if (value === true) switches.add(name);
  }
  return { inputs: parsed.positionals, flags, switches, options };
}

function declared(args: ParsedArgs, name: string, type: CliOption['type']): void {
  const option = args.options[name];
  if (option?.type !== type) throw new Error(`--${name} is not a declared ${type} option`);
}

/** A string flag read as a finite number; `fallback` when it is absent. */
export function numberFlag(args: ParsedArgs, name: string, fallback: number): number {
  declared(args, name, 'string');
  const v = args.flags.get(name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new Error(`--${name} expects a number, got '${v}'`);
  return n;
}

/** A string flag that must be given, and not empty. */
export function requireFlag(args: ParsedArgs, name: string): string {
  declared(args, name, 'string');
  const v = args.flags.get(name);
  if (v === undefined || v === '') throw new Error(`--${name} is required`);
  return v;
}

/** Whether a boolean flag is on. */
export function booleanFlag(args: ParsedArgs, name: string): boolean {
  declared(args, name, 'boolean');
  return args.switches.has(name);
}

/** `DIR/<stem of input><ext>`: every command writes one output per input, named by the input's stem. */
export function outputPath(outDir: string, input: string, ext: string): string {
  return join(outDir, basename(input, extname(input)) + ext);
}

/**
 * Runs `fn` on each input; a failing input prints one clear line and the others still run.
 * Returns the process exit code: 0 when all succeeded, 1 otherwise.
 */
export async function forEachInput(inputs: string[], fn: (input: string) => Promise<void>, options: { inFlight?: number } = {}): Promise<number> {
  if (inputs.length === 0) {
    console.error('error: no input files given');
    return 2;
  }
  let failed = 0;
  // inFlight > 1 overlaps one input's JavaScript with another's decoding and encoding, which sharp runs on its
  // own threads; results and messages stay per input.
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) {
      const input = inputs[next++];
      try {
        await fn(input);
      } catch (err) {
        failed++;
        console.error(`${input}: ${(err as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.inFlight ?? 1) }, worker));
  if (failed > 0) console.error(`${failed} of ${inputs.length} inputs failed`);
  return failed > 0 ? 1 : 0;
}
