import { describe, expect, it } from 'vitest';
import { booleanFlag, numberFlag, parseArgs, requireFlag, UsageError, type CliOptions } from './command.ts';

const options: CliOptions = {
  out: { type: 'string' },
  k: { type: 'string' },
  m: { type: 'string', default: '15' },
  quick: { type: 'boolean' },
};

describe('parseArgs', () => {
  it('reads --k=3 and --k 3 alike', () => {
    expect(numberFlag(parseArgs(['--k=3'], options), 'k', 500)).toBe(3);
    expect(numberFlag(parseArgs(['--k', '3'], options), 'k', 500)).toBe(3);
    expect(numberFlag(parseArgs([], options), 'k', 500)).toBe(500);
  });

  it('keeps positionals in order, wherever they stand, and everything after --', () => {
    const args = parseArgs(['a.png', '--out', 'dir', 'b.png', '--quick', 'c.png', '--', '--d.png'], options);
    expect(args.inputs).toEqual(['a.png', 'b.png', 'c.png', '--d.png']);
    expect(requireFlag(args, 'out')).toBe('dir');
  });

  it('reads boolean flags, which take no value', () => {
    expect(booleanFlag(parseArgs(['x', '--quick'], options), 'quick')).toBe(true);
    expect(booleanFlag(parseArgs(['x'], options), 'quick')).toBe(false);
    // A boolean flag does not swallow the next positional.
    expect(parseArgs(['--quick', 'x.png'], options).inputs).toEqual(['x.png']);
    expect(() => parseArgs(['--quick=yes'], options)).toThrow(new UsageError('--quick takes no value'));
  });

  it('applies declared defaults', () => {
    expect(numberFlag(parseArgs([], options), 'm', 10)).toBe(15);
    expect(numberFlag(parseArgs(['--m', '20'], options), 'm', 10)).toBe(20);
  });

  it('rejects an unknown flag', () => {
    expect(() => parseArgs(['a.png', '--kk', '3'], options)).toThrow(UsageError);
    expect(() => parseArgs(['a.png', '--kk', '3'], options)).toThrow(/^unknown flag '--kk'$/);
  });

  it('rejects a string flag missing its value instead of swallowing the next flag or file', () => {
    expect(() => parseArgs(['a.png', '--out'], options)).toThrow(new UsageError('--out needs a value'));
    expect(() => parseArgs(['a.png', '--out', '--k', '3'], options)).toThrow(UsageError);
    expect(() => parseArgs(['a.png', '--out', '--k', '3'], options)).toThrow(/^--out needs a value, got another flag/);
    // A value that starts with '-' is written with '='.
    expect(numberFlag(parseArgs(['--k=-3'], options), 'k', 0)).toBe(-3);
  });

  it('gives one-line messages', () => {
    for (const argv of [['--nope'], ['--out'], ['--out', '--k', '1'], ['--quick=1']]) {
      try {
        parseArgs(argv, options);
        expect.unreachable();
      } catch (err) {
        expect((err as Error).message).not.toContain('\n');
      }
    }
  });
});

describe('flag readers', () => {
  it('numberFlag rejects a non-number', () => {
    expect(() => numberFlag(parseArgs(['--k', 'many'], options), 'k', 1)).toThrow("--k expects a number, got 'many'");
    expect(() => numberFlag(parseArgs(['--k='], options), 'k', 1)).toThrow('--k expects a number');
  });

  it('requireFlag needs the flag and a non-empty value', () => {
    expect(() => requireFlag(parseArgs(['a.png'], options), 'out')).toThrow('--out is required');
    expect(() => requireFlag(parseArgs(['--out='], options), 'out')).toThrow('--out is required');
  });

  it('refuses to read a flag the command did not declare, or as the wrong type', () => {
    const args = parseArgs([], options);
    expect(() => numberFlag(args, 'n', 1)).toThrow('--n is not a declared string option');
    expect(() => booleanFlag(args, 'out')).toThrow('--out is not a declared boolean option');
  });
});
