// `npm run bench:model`: median backbone forward time at 512×512 and 320×320 on every backend available —
// Node (wasm, the CLI's backend) and the browser (wasm, webgl, webgpu in Debian's Chromium via Playwright,
// measured by the studio's own "Benchmark backend" button in its worker).
import * as tf from '@tensorflow/tfjs';
import { chromium } from '@playwright/test';
import { spawn, execSync } from 'node:child_process';
import { selectBackend } from '../src/ml/backend.ts';
import { loadBackboneFromDisk, loadOriginalGraph } from '../src/ml/loadFromDisk.ts';
import { benchmarkForward } from '../src/ml/benchmarkForward.ts';
import { BENCHMARK_SIZES } from '../src/state/benchmarkSlice.ts';
import { chromiumArgs } from '../playwright.config.ts';

interface Row {
  where: string;
  backend: string;
  ms: Record<string, number>;
  note?: string;
}

const rows: Row[] = [];
const key = (s: { width: number; height: number }) => `${s.width}x${s.height}`;

/** The unconverted graph from the npm package (512×512 only), timed the same way: the side-by-side baseline. */
async function originalGraphMs(runs: number): Promise<number> {
  const model = await loadOriginalGraph();
  const x = tf.randomUniform([1, 512, 512, 3], 0, 255);
  const times: number[] = [];
  for (let i = 0; i < runs + 2; i++) {
    const t0 = performance.now();
    const out = model.execute(x, ['tower_0/keypoints', 'tower_0/wh']) as tf.Tensor[];
    await out[0].data();
    if (i >= 2) times.push(performance.now() - t0);
    tf.dispose(out);
  }
  tf.dispose(x);
  model.dispose();
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

let originalMs = NaN;

async function node(): Promise<void> {
  await selectBackend('wasm');
  const backbone = await loadBackboneFromDisk();
  const timings = await benchmarkForward(backbone, BENCHMARK_SIZES, 10);
  rows.push({ where: 'node', backend: tf.getBackend(), ms: Object.fromEntries(timings.map((t) => [key(t), t.medianMs])) });
  backbone.dispose();
  originalMs = await originalGraphMs(10);
}

async function browser(port: number): Promise<void> {
  if (!process.argv.includes('--no-build')) execSync('npx vite build', { stdio: 'ignore' });
  const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { stdio: 'ignore', detached: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  try {
    const page = await browser.newPage();
    for (let i = 0; i < 60; i++) {
      try {
        await page.goto(`http://127.0.0.1:${port}/`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    for (const backend of ['wasm', 'webgl', 'webgpu']) {
      await page.goto(`http://127.0.0.1:${port}/?backend=${backend}`);
      await page.getByTestId('model-status').filter({ hasText: /ready|error/ }).waitFor({ timeout: 120_000 });
      const active = (await page.getByTestId('backend-name').textContent()) ?? '?';
      if (active !== backend) {
        rows.push({ where: 'chromium', backend, ms: {}, note: `unavailable (fell back to ${active})` });
        continue;
      }
      await page.getByTestId('run-benchmark').click();
      const result = page.getByTestId('benchmark-result');
      await result.waitFor({ timeout: 600_000 });
      const ms: Record<string, number> = {};
      for (const tr of await result.locator('tr').all()) ms[(await tr.getAttribute('data-size'))!] = Number(await tr.getAttribute('data-ms'));
      const device = await page.locator('dt:text("Device") + dd').textContent().catch(() => null);
      rows.push({ where: 'chromium', backend, ms, note: device ?? undefined });
    }
  } finally {
    await browser.close();
    process.kill(-server.pid!);
  }
}

await node();
await browser(4199);
console.log('\nBackbone forward, median ms (this machine)');
console.log(`${'where'.padEnd(10)}${'backend'.padEnd(9)}${BENCHMARK_SIZES.map((s) => key(s).padStart(10)).join('')}  note`);
for (const r of rows) {
  const cells = BENCHMARK_SIZES.map((s) => (r.ms[key(s)] === undefined ? '—' : r.ms[key(s)].toFixed(1)).padStart(10)).join('');
  console.log(`${r.where.padEnd(10)}${r.backend.padEnd(9)}${cells}  ${r.note ?? ''}`);
}
const nodeWasm = rows[0].ms[key(BENCHMARK_SIZES[0])];
console.log(
  `\nNode wasm at 512×512: converted ${nodeWasm.toFixed(1)} ms, the package's original graph ${originalMs.toFixed(1)} ms in the same run ` +
    `(ratio ${(nodeWasm / originalMs).toFixed(2)}); platform notes' reference ≈110 ms (ratio ${(nodeWasm / 110).toFixed(2)})`,
);
