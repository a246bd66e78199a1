// The Depth panel's 3D view and depth exports (issue 9; docs/depth.md) in Chromium with WebGL on SwiftShader: a
// photo larger than the working copy and turned by EXIF, its point cloud drawn (pixels read back), orbited,
// opened and closed again with every WebGL context it made released (nothing leaks on the GPU), both exports
// checked in Node, the view following a change of photo, and a clear message where WebGL is missing.
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { decode } from 'fast-png';
import sharp from 'sharp';
import { decodePly } from '../src/core/plyCodec.ts';

// coffee.png (600×400) enlarged to 1500×1000 and stored with EXIF orientation 6: displayed 1000×1500, a working
// copy of 683×1024, exported at 1000×1500.
const PHOTO = { name: 'coffee-large.jpg', width: 1000, height: 1500 };

async function largeRotatedPhoto() {
  const buffer = await sharp(resolve('public/samples/coffee.png')).resize(1500, 1000).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toBuffer();
  return { name: PHOTO.name, mimeType: 'image/jpeg', buffer };
}

async function downloadFromPanel(page: Page, commandId: string): Promise<{ name: string; bytes: Uint8Array }> {
  const download = page.waitForEvent('download');
  await page.getByTestId('depth-panel').getByTestId(`cmd-${commandId}`).click();
  const d = await download;
  return { name: d.suggestedFilename(), bytes: new Uint8Array(readFileSync(await d.path())) };
}

/** The share of the 3D canvas's pixels that are not its black background. */
async function paintedShare(page: Page): Promise<number> {
  return page.getByTestId('depth-3d-canvas').evaluate((c: HTMLCanvasElement) => {
    const copy = document.createElement('canvas');
    [copy.width, copy.height] = [c.width, c.height];
    const ctx = copy.getContext('2d')!;
    ctx.drawImage(c, 0, 0);
    const data = ctx.getImageData(0, 0, c.width, c.height).data;
    let painted = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i] + data[i + 1] + data[i + 2] > 12) painted++;
    return painted / (data.length / 4);
  });
}

const frames = async (page: Page) => Number(await page.getByTestId('depth-3d-canvas').getAttribute('data-frames'));

test('3D view of the depth, opened and closed without leaking, and both exports at the original size', async ({ page }) => {
  test.setTimeout(240_000);
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`[console] ${m.text()}`);
    if (/too many active webgl contexts|context lost/i.test(m.text())) warnings.push(m.text());
  });
  // Every WebGL context the page makes, to check that closing the view released them all.
  await page.addInitScript(() => {
    const made: WebGL2RenderingContext[] = [];
    Object.assign(window, { webglContexts: made });
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, kind: string, ...rest: unknown[]) {
      const context = (getContext as (...a: unknown[]) => RenderingContext | null).call(this, kind, ...rest);
      if (kind === 'webgl2' && context && !made.includes(context as WebGL2RenderingContext)) made.push(context as WebGL2RenderingContext);
      return context;
    } as typeof getContext;
  });
  const liveContexts = () => page.evaluate(() => (window as unknown as { webglContexts: WebGL2RenderingContext[] }).webglContexts.filter((c) => !c.isContextLost()).length);
  await page.goto('/');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
  await page.getByTestId('file-input').setInputFiles([await largeRotatedPhoto()]);
  await expect(page.getByTestId('photo-item')).toContainText(`${PHOTO.width}×${PHOTO.height}`);
  await expect(page.getByTestId('depth-range')).toContainText(/\d+\.\d–\d+\.\d m/);

  const open = page.getByTestId('depth-panel').getByTestId('cmd-depth-3d');
  await open.click();
  await expect(page.getByTestId('depth-3d')).toContainText('60° horizontal field of view');
  await expect(page.getByTestId('depth-3d-summary')).toContainText('683×1024');
  await expect.poll(() => frames(page)).toBeGreaterThan(0);
  expect(await liveContexts()).toBe(1);
  expect(await paintedShare(page)).toBeGreaterThan(0.2);

  // Orbit: a drag renders new frames of another picture.
  const before = await page.getByTestId('depth-3d-canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL());
  const shown = await frames(page);
  const box = (await page.getByTestId('depth-3d-canvas').boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 150, box.y + box.height / 2 + 40, { steps: 5 });
  await page.mouse.up();
  await expect.poll(() => frames(page)).toBeGreaterThan(shown);
  expect(await page.getByTestId('depth-3d-canvas').evaluate((c: HTMLCanvasElement) => c.toDataURL())).not.toBe(before);

  await page.keyboard.press('Escape');
  await expect(page.getByTestId('depth-3d')).toHaveCount(0);
  expect(await liveContexts()).toBe(0);
  // Chromium keeps 16 live WebGL contexts and warns past them: open and close the view more often than that.
  for (let i = 0; i < 17; i++) {
    await open.click();
    await expect.poll(() => frames(page)).toBeGreaterThan(0);
    await page.getByTestId('depth-3d-close').click();
    await expect(page.getByTestId('depth-3d')).toHaveCount(0);
  }
  expect(await liveContexts()).toBe(0);
  expect(warnings).toEqual([]);

  const png = await downloadFromPanel(page, 'export-depth-photo');
  expect(png.name).toBe('coffee-large-depth.png');
  const depth = decode(png.bytes);
  expect([depth.width, depth.height, depth.channels, depth.depth]).toEqual([PHOTO.width, PHOTO.height, 1, 16]);
  const mm = depth.data as Uint16Array;
  const [lo, hi] = mm.reduce(([l, h], v) => [Math.min(l, v), Math.max(h, v)], [Infinity, 0]);
  // NYUv2's rooms: every pixel has a depth, between half a metre and ten.
  expect(lo).toBeGreaterThan(500);
  expect(hi).toBeLessThan(10_000);
  expect(hi).toBeGreaterThan(lo);

  const ply = await downloadFromPanel(page, 'export-point-cloud-photo');
  expect(ply.name).toBe('coffee-large-depth.ply');
  const header = new TextDecoder().decode(ply.bytes.subarray(0, 600));
  expect(header).toMatch(/^ply\nformat binary_little_endian 1\.0\n/);
  expect(header).toContain('element vertex 699392\n');
  const cloud = decodePly(ply.bytes);
  expect(cloud.vertexCount).toBe(683 * 1024);
  expect(Object.keys(cloud.vertex)).toEqual(['x', 'y', 'z', 'red', 'green', 'blue']);
  const z = cloud.vertex.z;
  expect(Math.min(...z.subarray(0, 100_000))).toBeGreaterThan(0.5);
  // The first row's leftmost and rightmost points span the assumed 60°: x / z = ∓tan 30° (less half a pixel).
  const tan30 = Math.tan(Math.PI / 6);
  expect(cloud.vertex.x[0] / z[0]).toBeCloseTo(-tan30 * (682 / 683), 3);
  expect(cloud.vertex.x[682] / z[682]).toBeCloseTo(tan30 * (682 / 683), 3);

  // Another photo, then the view: it shows that photo, follows a change of photo while open, and the previous
  // photo's context is gone.
  await page.getByTestId('sample-select').selectOption('chelsea.png');
  // The sample is fetched and decoded first: until then the panel still shows the large photo's depth, and the
  // button a click would hit can turn disabled under it as the new photo becomes active without depth.
  await page.waitForFunction(() => {
    const s = window.__zoomoutStudio!.state();
    const chelsea = s.photos.find((p) => p.name === 'chelsea.png');
    return chelsea !== undefined && s.activePhotoId === chelsea.id && s.depth?.photoId === chelsea.id;
  });
  await expect(page.getByTestId('depth-range')).toContainText(/\d+\.\d–\d+\.\d m/);
  await open.click();
  await expect(page.getByTestId('depth-3d')).toBeVisible();
  await expect(page.getByTestId('depth-3d-summary')).toContainText('451×300');
  await page.keyboard.press('[');
  await expect(page.getByTestId('depth-3d-summary')).toContainText('683×1024');
  await expect.poll(() => frames(page)).toBeGreaterThan(0);
  expect(await liveContexts()).toBe(1);
});

test('without WebGL the 3D view says why, and the exports still work', async ({ page }) => {
  await page.addInitScript(() => {
    const getContext = HTMLCanvasElement.prototype.getContext;
    HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, kind: string, ...rest: unknown[]) {
      return /webgl/.test(kind) ? null : (getContext as (...a: unknown[]) => RenderingContext | null).call(this, kind, ...rest);
    } as typeof getContext;
  });
  await page.goto('/');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
  await page.getByTestId('sample-select').selectOption('chelsea.png');
  await expect(page.getByTestId('depth-range')).toContainText(/\d+\.\d–\d+\.\d m/);
  await page.getByTestId('depth-panel').getByTestId('cmd-depth-3d').click();
  await expect(page.getByTestId('depth-3d-problem')).toContainText('No 3D view: this browser gives no WebGL 2 context');
  await page.getByTestId('depth-3d-close').click();
  const png = await downloadFromPanel(page, 'export-depth-photo');
  expect(decode(png.bytes)).toMatchObject({ width: 451, height: 300, depth: 16 });
});
