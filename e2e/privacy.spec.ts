// Privacy: the studio never talks to another origin. Every request made while a photo is added, strokes are
// painted, the head trains and the results are exported must be same-origin (data: and blob: stay in the page);
// the Content-Security-Policy in index.html enforces it, and must not get in the way of any backend.
import { expect, test, type Page } from '@playwright/test';
import { resolve } from 'node:path';
import { paint } from './studioPage.ts';

/** Every request's URL, and every CSP violation the page reports. */
function watch(page: Page): { requests: string[]; violations: string[] } {
  const seen = { requests: [] as string[], violations: [] as string[] };
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('console', (m) => {
    if (/Content[- ]Security[- ]Policy/i.test(m.text())) seen.violations.push(m.text());
  });
  return seen;
}

const foreign = (page: Page, urls: string[]) => {
  const origin = new URL(page.url()).origin;
  return urls.filter((u) => !u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin);
};

async function recordViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
}
const violationsIn = (page: Page) => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

test('adding a photo, painting, training and exporting stay on the page’s origin', async ({ page }) => {
  const seen = watch(page);
  await recordViolations(page);
  await page.goto('/');
  await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveCount(1);
  await expect(page.getByTestId('model-status')).toHaveText('ready');
  await page.getByTestId('file-input').setInputFiles(resolve('public/samples/coffee.png'));
  await expect(page.getByTestId('sp-count')).toContainText(/\d+/);
  const aspect = 600 / 400;
  await page.getByTestId('class-5').click();
  await page.getByTestId('cmd-tool-brush').click();
  await paint(page, [[0.45, 0.45], [0.5, 0.55], [0.55, 0.5]], aspect);
  await page.getByTestId('class-0').click();
  await paint(page, [[0.05, 0.05], [0.3, 0.05], [0.05, 0.3]], aspect);
  await expect(page.getByTestId('training-status')).toHaveText('up to date');
  await page.getByTestId('export-menu').click();
  const download = page.waitForEvent('download');
  await page.getByTestId('cmd-export-voc').click();
  expect((await download).suggestedFilename()).toMatch(/\.zip$/);
  const project = page.waitForEvent('download');
  await page.getByTestId('cmd-export-project').click();
  await project;

  expect(seen.requests.length).toBeGreaterThan(0);
  expect(foreign(page, seen.requests)).toEqual([]);
  expect(await violationsIn(page)).toEqual([]);
  expect(seen.violations).toEqual([]);
});

for (const backend of ['wasm', 'webgl', 'webgpu'])
  test(`the CSP lets the ${backend} backend load the model`, async ({ page }) => {
    const seen = watch(page);
    await recordViolations(page);
    await page.goto(`/?backend=${backend}&side=64`);
    await expect(page.getByTestId('model-status')).toHaveText('ready');
    await expect(page.getByTestId('backend-name')).toHaveText(backend);
    await page.getByTestId('file-input').setInputFiles(resolve('public/samples/coffee.png'));
    await expect(page.getByTestId('top-classes')).toBeVisible();
    expect(foreign(page, seen.requests)).toEqual([]);
    expect(await violationsIn(page)).toEqual([]);
    expect(seen.violations).toEqual([]);
  });
