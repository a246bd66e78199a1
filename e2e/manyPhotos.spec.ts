// 200 photos without slowing down (issue "The studio as a daily tool"): the worker's tensors stay bounded by
// its photo cache however many photos are open, and the page's JS heap (after GC) grows by little more than
// each photo's own record; stepping through the whole set (each photo analysed again as it is opened) leaks
// nothing and ends: photos left behind while paging are not analysed.
import { expect, test, type CDPSession, type Page } from '@playwright/test';
import { tensorsBeyondPhotosAndModels, testPhoto } from './studioPage.ts';

interface Memory {
  heapMiB: number;
  backingMiB: number;
  tensors: number;
  photoTensors: number;
  modelTensors: number;
  beyond: number;
  workerMiB: number;
  cached: number;
}

async function settled(page: Page, photos: number): Promise<void> {
  await expect(page.getByTestId('photo-item')).toHaveCount(photos, { timeout: 120_000 });
  const summary = () =>
    page.evaluate(() => {
      const s = window.__zoomoutStudio!.state();
      const statuses = [...new Set(s.photos.map((p) => p.status))].join(',');
      return `${statuses}${s.analysisProgress ? ' queued' : ''}${s.training.running ? ' training' : ''}`;
    });
  await expect.poll(summary, { timeout: 300_000 }).toBe('ready');
}

async function memory(page: Page, cdp: CDPSession): Promise<Memory> {
  // Work the last change started (autosave's write, the last photo's paint) settles before the heap is read.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 1000)));
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number };
  const worker = await page.evaluate(() => window.__zoomoutStudio!.workerMemory());
  const m = { heapMiB: heap.usedSize / 2 ** 20, backingMiB: (heap.backingStorageSize ?? 0) / 2 ** 20, tensors: worker.numTensors, photoTensors: worker.photoTensors, modelTensors: worker.modelTensors, beyond: tensorsBeyondPhotosAndModels(worker), workerMiB: worker.numBytes / 2 ** 20, cached: worker.photos };
  console.log(JSON.stringify(m));
  return m;
}

test('200 photos: worker tensors flat, JS heap per photo small, stepping through the set leaks nothing', async ({ page }) => {
  test.setTimeout(600_000);
  const cdp = await page.context().newCDPSession(page);
  await page.goto('/?side=128');
  await expect(page.getByTestId('model-status')).toHaveText('ready');
  const input = page.getByTestId('file-input');

  await input.setInputFiles(Array.from({ length: 20 }, (_, i) => testPhoto(i, 160, 120)));
  await settled(page, 20);
  const at20 = await memory(page, cdp);

  await input.setInputFiles(Array.from({ length: 180 }, (_, i) => testPhoto(20 + i, 160, 120)));
  await settled(page, 200);
  const at200 = await memory(page, cdp);

  // Step through every photo, as a user reviewing the set would.
  await page.getByTestId('photo-item').first().click();
  for (let i = 1; i < 200; i++) await page.keyboard.press(']');
  await settled(page, 200);
  const afterTour = await memory(page, cdp);

  // Tensors: bounded by the worker's cache, not by the number of photos, and nothing left behind by the tour. The
  // cached photos' share moves with what each holds (a photo labelled since has pooled features too) and the cache
  // holds at most 6; models load on first use. Beyond both, a leak of even one tensor per photo would add 180 here
  // and 199 over the tour.
  expect(at200.cached).toBeLessThanOrEqual(6);
  expect(at200.beyond).toBe(at20.beyond);
  expect(afterTour.beyond).toBe(at20.beyond);
  // The JS heap grows by each photo's record (about 11 KiB measured); the pixels and superpixel maps each photo
  // keeps on the page are array buffers outside it (the backing store, ~155 KiB per 160×120 photo).
  const perPhotoKiB = ((at200.heapMiB - at20.heapMiB) * 1024) / 180;
  console.log(`heap per added photo: ${perPhotoKiB.toFixed(1)} KiB`);
  expect(perPhotoKiB).toBeLessThan(64);
  expect(afterTour.heapMiB - at200.heapMiB).toBeLessThan(2);
  expect(afterTour.backingMiB - at200.backingMiB).toBeLessThan(4);
});
