// `npm run bench:slic`: our whole `slic` CLI process (WebAssembly and TypeScript kernels) against OpenCV ximgproc SLIC (one thread each) on the
// BSDS500 test images, then boundary recall, undersegmentation error and ASA of both against every annotator.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberFlag, parseArgs } from '../src/cli/command.ts';
import { decodeIndexPng } from '../src/core/pngCodec.ts';
import { achievableSegmentationAccuracy, boundaryRecall, undersegmentationError } from '../src/core/segmentationMetrics.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = join(resolve(repoRoot, '../shared'), 'data/bsds500');
const SYSTEM_PYTHON = '/usr/bin/python3';
// One core each: sharp/libvips and OpenCV would otherwise use every core and blur the comparison.
const SINGLE_THREAD_ENV = { ...process.env, OMP_NUM_THREADS: '1', VIPS_CONCURRENCY: '1', UV_THREADPOOL_SIZE: '1' };

interface Method {
  name: string;
  outDir: string;
  command: string;
  args: string[];
  seconds: number[];
  cpuSeconds: number[];
  ms: number[];
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

/**
 * CPU seconds (user + system, all threads) of this process's finished children, from /proc: unlike wall
 * time it hardly moves when other work shares the machine.
 */
function childrenCpuSeconds(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of proc(5), cutime and cstime; the slice starts at field 3.
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

function runWhole(method: Method): void {
  rmSync(method.outDir, { recursive: true, force: true });
  const start = performance.now();
  const cpuStart = childrenCpuSeconds();
  const result = spawnSync(method.command, method.args, { cwd: repoRoot, env: SINGLE_THREAD_ENV, encoding: 'utf8', maxBuffer: 1 << 26 });
  method.seconds.push((performance.now() - start) / 1000);
  method.cpuSeconds.push(childrenCpuSeconds() - cpuStart);
  if (result.status !== 0) throw new Error(`${method.name} failed (exit ${result.status}):\n${result.stderr}`);
  method.ms = [...result.stdout.matchAll(/([\d.]+) ms$/gm)].map((m) => Number(m[1]));
}

function opencvAvailable(): boolean {
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import cv2; cv2.ximgproc.createSuperpixelSLIC'], { encoding: 'utf8' });
  return probe.status === 0;
}

function groundTruths(id: string): Uint8Array[] | Uint16Array[] {
  const maps = [];
  for (let k = 0; existsSync(join(dataDir, 'groundTruth', `${id}_seg${k}.png`)); k++) {
    maps.push(decodeIndexPng(readFileSync(join(dataDir, 'groundTruth', `${id}_seg${k}.png`))).values);
  }
  return maps as Uint8Array[];
}

function quality(method: Method, ids: string[]) {
  const counts: number[] = [];
  const br: number[] = [];
  const ue: number[] = [];
  const asa: number[] = [];
  for (const id of ids) {
    const { width, height, values } = decodeIndexPng(readFileSync(join(method.outDir, `${id}.png`)));
    let count = 0;
    for (let p = 0; p < values.length; p++) if (values[p] >= count) count = values[p] + 1;
    counts.push(count);
    const truths = groundTruths(id);
    br.push(mean(truths.map((g) => boundaryRecall(values, g, width, height))));
    ue.push(mean(truths.map((g) => undersegmentationError(values, g))));
    asa.push(mean(truths.map((g) => achievableSegmentationAccuracy(values, g))));
  }
  return { count: mean(counts), br: mean(br), ue: mean(ue), asa: mean(asa) };
}

function main(): void {
  const args = parseArgs(process.argv.slice(2), { k: { type: 'string' }, m: { type: 'string' }, repeat: { type: 'string' }, limit: { type: 'string' }, iterations: { type: 'string' } });
  const k = numberFlag(args, 'k', 500);
  const m = numberFlag(args, 'm', 15);
  const repeat = numberFlag(args, 'repeat', 3);
  const limit = numberFlag(args, 'limit', Infinity);
  const imageDir = join(dataDir, 'images');
  if (!existsSync(imageDir)) throw new Error(`no BSDS500 images at ${imageDir}`);
  const images = readdirSync(imageDir)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .slice(0, limit)
    .map((f) => join(imageDir, f));
  const ids = images.map((f) => basename(f, '.jpg'));
  const tmp = mkdtempSync(join(tmpdir(), 'bench-slic-'));
  const ourFlags = ['--k', String(k), '--m', String(m)];
  if (args.flags.has('iterations')) ourFlags.push('--iterations', String(numberFlag(args, 'iterations', 4)));
  const ours = (engine: 'wasm' | 'ts', name: string): Method => ({
    name,
    outDir: join(tmp, `ours-${engine}`),
    command: process.execPath,
    args: ['scripts/cli.mjs', 'slic', ...images, ...ourFlags, '--out', join(tmp, `ours-${engine}`), '--engine', engine],
    seconds: [],
    cpuSeconds: [],
    ms: [],
  });
  const methods: Method[] = [ours('wasm', 'ours, WebAssembly SIMD (CLI slic)')];
  if (opencvAvailable()) {
    methods.push({
      name: 'OpenCV ximgproc SLIC',
      outDir: join(tmp, 'opencv'),
      command: SYSTEM_PYTHON,
      args: [join(repoRoot, 'scripts/opencvSlic.py'), join(tmp, 'opencv'), String(k), String(m), ...images],
      seconds: [],
      cpuSeconds: [],
      ms: [],
    });
  } else console.log(`OpenCV (cv2.ximgproc under ${SYSTEM_PYTHON}) is missing: reporting ours only`);
  methods.push(ours('ts', 'ours, TypeScript (CLI slic --engine ts)'));
  console.log(`${images.length} BSDS500 images, k=${k}, m=${m}, whole process timed ${repeat}× alternately`);
  // The CLI rebuilds its bundle when src/ changed (scripts/cli.mjs): once here, outside the timed runs.
  spawnSync(process.execPath, ['scripts/cli.mjs', 'help'], { cwd: repoRoot });
  // Alternating the runs spreads any drift in machine load over both methods.
  for (let r = 0; r < repeat; r++) for (const method of methods) runWhole(method);
  const opencv = methods.find((m) => m.command === SYSTEM_PYTHON);
  const baseline = opencv ? median(opencv.seconds) : NaN;
  const cpuBaseline = opencv ? median(opencv.cpuSeconds) : NaN;
  const ratio = (value: number, base: number) => (Number.isNaN(base) ? '—' : (value / base).toFixed(2));
  console.log(
    '| method | SLIC ms/img (median) | whole process wall s (median; runs) | wall vs OpenCV | whole process CPU s (median) | CPU vs OpenCV | superpixels | BR | UE | ASA |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const method of methods) {
    const q = quality(method, ids);
    const whole = median(method.seconds);
    const cpu = median(method.cpuSeconds);
    const cells = [
      method.name,
      median(method.ms).toFixed(1),
      `${whole.toFixed(2)} (${method.seconds.map((s) => s.toFixed(2)).join(', ')})`,
      ratio(whole, baseline),
      cpu.toFixed(2),
      ratio(cpu, cpuBaseline),
      q.count.toFixed(0),
      q.br.toFixed(3),
      q.ue.toFixed(3),
      q.asa.toFixed(3),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  rmSync(tmp, { recursive: true, force: true });
}

main();
