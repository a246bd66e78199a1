// `npm run bench:studio`: the latencies a user feels, in Debian's Chromium on the production build (issue
// "Speed"). Each drop is a fresh page (empty project, model loaded first), followed, once its photo is
// segmented, by a second photo dropped on the same page (the page and worker warm, as for most drops of a
// working session); strokes follow on the last photo.
// Times run from the user's act (the file input's change event, the stroke's pointerup) to the moment the
// viewer draws the new layer (the Viewer's `zoomout:painted:<layer>` performance marks).
// Photo switching (`]`, the next-photo key) is timed on a set of `--set` photos opened in one page. The depth
// preview's refresh (issue 9) is timed on the last dropped photo: from the image, after its superpixels change
// (k changed), from the new superpixels in the store to the new depth in the store (that preview depends on the
// superpixels and the image, not on the labels); from the segmentation (indoor classes), after each stroke,
// from the new segmentation in the store to its depth in the store. Last, the 3D view's frame rate while orbiting.
//   npm run bench:studio -- [--drops 8] [--strokes 15] [--set 30] [--depth-refreshes 8] [--no-build] [--port 4391] [--out-dir dist]
// A separate --out-dir keeps the build away from a dist/ that another run may be serving.
import { chromium, type Page } from '@playwright/test';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { booleanFlag, numberFlag, parseArgs } from '../src/cli/command.ts';
import { chromiumArgs } from '../playwright.config.ts';

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = parseArgs(process.argv.slice(2), { drops: { type: 'string' }, strokes: { type: 'string' }, set: { type: 'string' }, 'depth-refreshes': { type: 'string' }, 'no-build': { type: 'boolean' }, port: { type: 'string' }, 'out-dir': { type: 'string' } });
const drops = numberFlag(args, 'drops', 8);
const strokes = numberFlag(args, 'strokes', 15);
const setSize = numberFlag(args, 'set', 30);
const depthRefreshes = numberFlag(args, 'depth-refreshes', 8);
const port = numberFlag(args, 'port', 4391);
const outDir = args.flags.get('out-dir') ?? 'dist';
const url = `http://127.0.0.1:${port}/`;

function percentile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** BSDS500 photos resized to 500×375, the size the targets name. */
async function photos(dir: string, count: number): Promise<string[]> {
  const source = resolve(repoRoot, '../shared/data/bsds500/images');
  const files = readdirSync(source).filter((f) => f.endsWith('.jpg')).sort().slice(0, count);
  return Promise.all(
    files.map(async (f) => {
      const out = join(dir, f);
      await sharp(join(source, f)).resize(500, 375, { fit: 'fill' }).jpeg({ quality: 92 }).toFile(out);
      return out;
    }),
  );
}

/** Milliseconds from `since` (page clock) to the first `zoomout:painted:<layer>` mark after it. */
function paintedAfter(page: Page, layer: string, since: number): Promise<number> {
  return page
    .waitForFunction(
      ([name, t0]) => {
        const mark = performance.getEntriesByName(name).find((e) => e.startTime > t0);
        return mark ? mark.startTime - t0 : undefined;
      },
      [`zoomout:painted:${layer}`, since] as const,
      { polling: 'raf', timeout: 120_000 },
    )
    .then((h) => h.jsonValue() as Promise<number>);
}

/** The page clock at the next `type` event on the element matched by `selector`. */
async function armClock(page: Page, selector: string, type: string): Promise<void> {
  await page.evaluate(
    ([sel, t]) => {
      const w = window as unknown as { benchT0?: number };
      w.benchT0 = undefined;
      document.querySelector(sel)!.addEventListener(t, () => (w.benchT0 = performance.now()), { once: true, capture: true });
    },
    [selector, type] as const,
  );
}

const readClock = (page: Page) => page.waitForFunction(() => (window as unknown as { benchT0?: number }).benchT0).then((h) => h.jsonValue() as Promise<number>);

async function idle(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const s = window.__zoomoutStudio!.state();
    return !s.training.running && s.photos.every((p) => s.segmentations[p.id]);
  }, undefined, { timeout: 120_000 });
}

/** Drags a short stroke at photo-relative (u, v) on the viewer. */
async function stroke(page: Page, u: number, v: number): Promise<void> {
  const box = (await page.getByTestId('viewer-canvas').boundingBox())!;
  const scale = Math.min(box.width / (500 / 375), box.height) * 0.95;
  const [w, h] = [(scale * 500) / 375, scale];
  const x = box.x + (box.width - w) / 2 + u * w;
  const y = box.y + (box.height - h) / 2 + v * h;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 0.04 * w, y + 0.03 * h, { steps: 3 });
  await page.mouse.up();
}

/**
 * The 3D view (issue 9: 60 frames per second for a 640×480 photo): a NYUv2 photo on a fresh page, its depth shown,
 * the view opened, then a steady orbit drag for `seconds`. Counts the page's animation frames (what reaches the
 * screen) and the view's renders (one per camera move); names the WebGL renderer, since here it is software.
 */
async function orbitView(previous: Page, seconds = 4): Promise<{ fps: number; renders: number; points: number; renderer: string }> {
  await previous.context().close();
  const page = await (await previous.context().browser()!.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await page.goto(url);
  await page.getByTestId('model-status').filter({ hasText: 'ready' }).waitFor({ timeout: 120_000 });
  await page.getByTestId('file-input').setInputFiles(resolve(repoRoot, '../shared/data/nyuv2/rgb/0003.png'));
  await page.getByTestId('depth-range').waitFor({ timeout: 60_000 });
  await page.getByTestId('depth-panel').getByTestId('cmd-depth-3d').click();
  const canvas = page.getByTestId('depth-3d-canvas');
  await canvas.waitFor();
  const box = (await canvas.boundingBox())!;
  // A string, not a function: tsx would wrap a named function in a __name the page lacks.
  const renderer = String(
    await page.evaluate(`(() => {
      const gl = document.createElement('canvas').getContext('webgl2');
      const info = gl && gl.getExtension('WEBGL_debug_renderer_info');
      window.__rafs = 0;
      const tick = () => { window.__rafs++; requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      return info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : 'unknown';
    })()`),
  );
  const count = async () => [Number(await page.evaluate('window.__rafs')), Number(await canvas.getAttribute('data-frames'))];
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  const [rafs0, frames0] = await count();
  const t0 = performance.now();
  for (let k = 0; performance.now() - t0 < seconds * 1000; k++) await page.mouse.move(cx + 80 * Math.cos(k / 20), cy + 40 * Math.sin(k / 20));
  const elapsed = (performance.now() - t0) / 1000;
  const [rafs1, frames1] = await count();
  await page.mouse.up();
  const points = await page.evaluate(() => {
    const d = window.__zoomoutStudio!.state().depth;
    return d?.source === 'image' ? d.superpixels.width * d.superpixels.height : NaN;
  });
  await page.context().close();
  return { fps: (rafs1 - rafs0) / elapsed, renders: (frames1 - frames0) / elapsed, points: Math.min(points, 200_000), renderer };
}

async function main(): Promise<void> {
  if (!booleanFlag(args, 'no-build')) {
    const build = spawnSync('npm', ['run', 'build', '--', '--outDir', outDir], { cwd: repoRoot, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed');
  }
  const tmp = mkdtempSync(join(os.tmpdir(), 'bench-studio-'));
  // The browser first: a launch that fails leaves no preview server behind.
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: chromiumArgs });
  const server = spawn('npx', ['vite', 'preview', '--outDir', outDir, '--host', '127.0.0.1', '--port', String(port), '--strictPort'], { cwd: repoRoot, stdio: 'ignore', detached: true });
  const t = {
    slic: [] as number[],
    superpixels: [] as number[],
    nextSlic: [] as number[],
    nextSuperpixels: [] as number[],
    nextSegmented: [] as number[],
    segmented: [] as number[],
    forwardMs: [] as number[],
    dropSegmentMs: [] as number[],
    stroke: [] as number[],
    storeMs: [] as number[],
    trainMs: [] as number[],
    predictMs: [] as number[],
    switchPhoto: [] as number[],
    depthAfterSuperpixels: [] as number[],
    depthWorkerMs: [] as number[],
    kSlic: [] as number[],
    segDepthAfterSegmentation: [] as number[],
    segDepthWorkerMs: [] as number[],
    orbit: undefined as Awaited<ReturnType<typeof orbitView>> | undefined,
  };
  let load = 0;
  try {
    for (let i = 0; ; i++) {
      try {
        await fetch(url);
        break;
      } catch {
        if (i > 100) throw new Error(`no preview server at ${url}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    const both = await photos(tmp, 2 * drops);
    const files = both.slice(0, drops);
    const nextFiles = both.slice(drops);
    let page: Page | undefined;
    for (const file of files) {
      await page?.context().close();
      page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
      await page.goto(url);
      await page.getByTestId('model-status').filter({ hasText: 'ready' }).waitFor({ timeout: 120_000 });
      await armClock(page, '[data-testid="file-input"]', 'change');
      await page.getByTestId('file-input').setInputFiles(file);
      const t0 = await readClock(page);
      t.superpixels.push(await paintedAfter(page, 'superpixels', t0));
      t.segmented.push(await paintedAfter(page, 'segmentation', t0));
      const drop = await page.evaluate(() => {
        const s = window.__zoomoutStudio!.state();
        const timings = s.training.timings;
        return { slic: Object.values(s.superpixels)[0]!.ms, forward: s.photos[0].analysis?.forwardMs ?? NaN, segment: timings ? timings.featuresMs + timings.trainMs + timings.predictMs : NaN };
      });
      t.slic.push(drop.slic);
      t.forwardMs.push(drop.forward);
      t.dropSegmentMs.push(drop.segment);
      load += os.loadavg()[0] / files.length;
      // The next photo dropped on the same page, once the first is segmented: most drops of a working session.
      await idle(page);
      await armClock(page, '[data-testid="file-input"]', 'change');
      await page.getByTestId('file-input').setInputFiles(nextFiles[files.indexOf(file)]);
      const t1 = await readClock(page);
      t.nextSuperpixels.push(await paintedAfter(page, 'superpixels', t1));
      t.nextSegmented.push(await paintedAfter(page, 'segmentation', t1));
      t.nextSlic.push(await page.evaluate(() => {
        const s = window.__zoomoutStudio!.state();
        return s.superpixels[s.photos[1].id]!.ms;
      }));
    }
    page = page!;
    await idle(page);
    await page.getByTestId('cmd-tool-brush').click();
    for (let j = 0; j < strokes; j++) {
      await page.getByTestId(j % 2 ? 'class-0' : 'class-15').click();
      await armClock(page, '[data-testid="viewer-canvas"]', 'pointerup');
      await stroke(page, 0.1 + 0.8 * ((j * 0.37) % 1), 0.1 + 0.7 * ((j * 0.61) % 1));
      const t0 = await readClock(page);
      t.stroke.push(await paintedAfter(page, 'segmentation', t0));
      await idle(page);
      const training = await page.evaluate(() => window.__zoomoutStudio!.state().training);
      t.storeMs.push(training.updateMs ?? NaN);
      t.trainMs.push(training.timings?.trainMs ?? NaN);
      t.predictMs.push(training.timings?.predictMs ?? NaN);
    }
    for (let j = 0; j < depthRefreshes; j++) {
      const refresh = await page.evaluate(async (k) => {
        const h = window.__zoomoutStudio!;
        const id = h.state().activePhotoId!;
        const before = h.state().superpixels[id];
        h.state().setSuperpixelParams({ k });
        let shown = NaN;
        // Polled once a frame (no named helper: tsx would wrap it in a __name the page lacks).
        for (;;) {
          const s = h.state();
          const map = s.superpixels[id];
          if (map !== before && Number.isNaN(shown)) shown = performance.now();
          const d = s.depth;
          if (map !== before && d?.source === 'image' && d.superpixels === map) return { ms: performance.now() - shown, worker: d.result.ms, slic: map.ms };
          await new Promise((resolve) => requestAnimationFrame(resolve));
        }
      }, j % 2 ? 500 : 400);
      t.depthAfterSuperpixels.push(refresh.ms);
      t.depthWorkerMs.push(refresh.worker);
      t.kSlic.push(refresh.slic);
      await idle(page);
    }
    // Depth from the segmentation: indoor classes, then strokes; each new segmentation asks for a new depth.
    await page.getByTestId('label-preset').selectOption('nyu');
    await page.getByTestId('depth-source').selectOption('segmentation');
    await idle(page);
    for (let j = 0; j < depthRefreshes; j++) {
      await page.getByTestId(['class-12', 'class-5', 'class-6'][j % 3]).click();
      // The previous stroke's depth may land after the segmentation settles: wait until the depth holds still.
      await page.evaluate(async () => {
        const h = window.__zoomoutStudio!;
        for (let last = h.state().depth, since = performance.now(); performance.now() - since < 500; ) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          if (h.state().depth !== last) [last, since] = [h.state().depth, performance.now()];
        }
      });
      const measured = page.evaluate(async () => {
        const h = window.__zoomoutStudio!;
        const id = h.state().activePhotoId!;
        const before = h.state().segmentations[id];
        const depthBefore = h.state().depth;
        let changed = NaN;
        for (const start = performance.now(); performance.now() - start < 20_000; ) {
          const s = h.state();
          if (s.segmentations[id] !== before && Number.isNaN(changed)) changed = performance.now();
          const d = s.depth;
          if (!Number.isNaN(changed) && d !== depthBefore && d?.source === 'segmentation') return { ms: performance.now() - changed, worker: d.ms };
          await new Promise((resolve) => requestAnimationFrame(resolve));
        }
        return { ms: NaN, worker: NaN };
      });
      await stroke(page, 0.1 + 0.8 * ((j * 0.29) % 1), 0.15 + 0.7 * ((j * 0.53) % 1));
      const refresh = await measured;
      t.segDepthAfterSegmentation.push(refresh.ms);
      t.segDepthWorkerMs.push(refresh.worker);
      await idle(page);
    }
    await page.context().close();
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.goto(url);
    await page.getByTestId('model-status').filter({ hasText: 'ready' }).waitFor({ timeout: 120_000 });
    await page.getByTestId('file-input').setInputFiles(await photos(tmp, setSize));
    await page.waitForFunction(
      (n) => {
        const s = window.__zoomoutStudio!.state();
        return s.photos.filter((p) => p.status === 'ready').length === n && !s.superpixelsPending && !s.training.running;
      },
      setSize,
      { timeout: 600_000 },
    );
    // Shortcuts do not fire while a field has focus (the file input had it).
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    for (let j = 0; j < Math.min(setSize, 20); j++) {
      await armClock(page, 'body', 'keydown');
      await page.keyboard.press(']');
      t.switchPhoto.push(await paintedAfter(page, 'photo', await readClock(page)));
    }
    t.orbit = await orbitView(page);
  } finally {
    await browser.close();
    if (server.pid) process.kill(-server.pid);
    rmSync(tmp, { recursive: true, force: true });
  }
  const row = (name: string, v: number[], target = '') => `| ${name} | ${percentile(v, 0.5).toFixed(0)} | ${percentile(v, 0.9).toFixed(0)} | ${v.length} | ${target} |`;
  console.log(`\nbench:studio — production build, Chromium ${browser.version()}, ${os.cpus().length} cores, load average ${load.toFixed(1)} during drops, ${os.loadavg()[0].toFixed(1)} at the end`);
  console.log('| latency (ms) | median | 90th pct | n | target |\n|---|---|---|---|---|');
  console.log(row('first drop on a fresh page: SLIC in the worker, 500×375', t.slic, '≤ 12'));
  console.log(row('drop → superpixels shown', t.superpixels));
  console.log(row('drop → first segmentation shown', t.segmented, '≤ 1000'));
  console.log(row('  of which: backbone forward in the worker', t.forwardMs));
  console.log(row('  of which: zero-click segmentation in the worker', t.dropSegmentMs));
  console.log(row('next drop on the same page: SLIC in the worker, 500×375', t.nextSlic, '≤ 12'));
  console.log(row('next drop: drop → superpixels shown', t.nextSuperpixels));
  console.log(row('next drop: drop → first segmentation shown', t.nextSegmented, '≤ 1000'));
  console.log(row('stroke → labels painted', t.stroke, '≤ 100'));
  console.log(row('  of which: stroke → labels in the store', t.storeMs));
  console.log(row('  of which: training in the worker', t.trainMs));
  console.log(row('  of which: prediction in the worker', t.predictMs));
  console.log(row(`switch photo (\`]\`, ${setSize} open) → photo shown`, t.switchPhoto, '≤ 100'));
  console.log(row('k changed (400 ↔ 500), page otherwise idle: SLIC in the worker, 500×375', t.kSlic, '≤ 12'));
  console.log(row('new superpixels (k changed) → depth preview in the store', t.depthAfterSuperpixels, '≤ 200'));
  console.log(row('  of which: depth in the worker', t.depthWorkerMs));
  console.log(row('new segmentation (stroke) → depth from segmentation in the store', t.segDepthAfterSegmentation, '≤ 200'));
  console.log(row('  of which: depth in the worker', t.segDepthWorkerMs));
  const o = t.orbit;
  if (o) console.log(`\n3D view of a 640×480 NYUv2 photo (${o.points} points), orbiting: ${o.fps.toFixed(1)} frames per second on screen, ${o.renders.toFixed(1)} renders per second (target 60; WebGL renderer: ${o.renderer})`);
}

await main();
