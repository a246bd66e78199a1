// The monkey test (e2e/monkey.spec.ts) at any length: `npm run test:monkey -- --actions N --seed S`.
//   --actions N   random actions per seed (default 500)
//   --seed S      a seed (an integer) or a range of them (A..B); repeatable; default: one new seed, printed
//   --verbose     print every action as it starts
//   --output DIR  Playwright's output folder (traces of failures)
// Runs Playwright with the project's config (playwright.config.ts: Debian's Chromium, E2E_PORT honoured), one
// test per seed; a failure prints its seed and the numbered actions that led to it.
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';

function fail(message: string): never {
  console.error(`test:monkey: ${message}`);
  process.exit(2);
}

const options = {
  actions: { type: 'string', default: '500' },
  seed: { type: 'string', multiple: true },
  verbose: { type: 'boolean', default: false },
  output: { type: 'string' },
} as const;

function parse() {
  try {
    return parseArgs({ options, strict: true, allowPositionals: false });
  } catch (err) {
    return fail((err as Error).message);
  }
}
const { values } = parse();

const actions = Number(values.actions);
if (!Number.isInteger(actions) || actions < 1) fail(`--actions wants a positive integer, not ${values.actions}`);

const seeds: number[] = [];
for (const s of values.seed ?? [String(Date.now() % 1_000_000)]) {
  const range = /^(\d+)\.\.(\d+)$/.exec(s);
  if (range) {
    const [lo, hi] = [Number(range[1]), Number(range[2])];
    if (hi < lo || hi - lo > 10_000) fail(`--seed ${s} is not a range A..B with A ≤ B`);
    for (let i = lo; i <= hi; i++) seeds.push(i);
  } else if (/^\d+$/.test(s) && Number(s) <= 0xffffffff) seeds.push(Number(s));
  else fail(`--seed wants an integer (0..4294967295) or a range A..B, not ${s}`);
}

console.log(`monkey: seeds ${seeds.join(', ')} × ${actions} actions`);
const env = { ...process.env, MONKEY_SEEDS: seeds.join(','), MONKEY_ACTIONS: String(actions), ...(values.verbose ? { MONKEY_VERBOSE: '1' } : {}) };
const args = ['playwright', 'test', 'e2e/monkey.spec.ts', ...(values.output ? ['--output', values.output] : [])];
const child = spawn('npx', args, { stdio: 'inherit', env });
child.on('error', (err) => fail(`could not start Playwright: ${err.message}`));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
