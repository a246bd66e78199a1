import { expect, test } from '@playwright/test';
import { paint, paintPersonAndBackgroundOnAstronaut, sample } from './studioPage.ts';

test('Label space: the segmentation beside its label-autoencoder reconstruction with their agreement, a search gallery, unavailable under COCO', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('file-input').setInputFiles([sample('astronaut.png'), sample('chelsea.png')]);
  await paintPersonAndBackgroundOnAstronaut(page);

  const panel = page.getByTestId('label-space-panel');
  // The view of this segmentation, not the one before it (shown dimmed while the new one is computed).
  await expect(panel.getByTestId('label-space-view')).toHaveAttribute('data-status', 'ready');
  await expect(panel.getByTestId('label-space-accuracy')).toHaveText(/^\d+\.\d%$/);
  const accuracy = parseFloat((await panel.getByTestId('label-space-accuracy').textContent())!);
  const miou = parseFloat((await panel.getByTestId('label-space-miou').textContent())!);
  const time = (await panel.getByTestId('label-space-time').textContent())!.split(' · ')[0];
  console.log(`label space of the astronaut's segmentation: pixel accuracy ${accuracy}%, mIoU ${miou}%, ${time}`);
  // A person and background, both large: the label model keeps most of the layout.
  expect(accuracy).toBeGreaterThan(60);
  expect(miou).toBeGreaterThan(30);
  for (const id of ['label-space-original', 'label-space-reconstruction', 'label-space-disagreement']) await expect(panel.getByTestId(id)).toHaveJSProperty('width', 512);

  // Label-space search from the person region: a gallery of regions of the open photos; a click opens one.
  await panel.getByTestId('cmd-find-similar').click();
  await expect(panel.getByTestId('cmd-find-similar')).toHaveAttribute('aria-pressed', 'true');
  await paint(page, [[0.47, 0.65]]);
  await expect(panel.getByTestId('label-search-results')).toContainText('person region');
  await expect(panel.getByTestId('label-search-query')).toBeVisible();
  const matches = panel.getByTestId('label-search-match');
  // A region this large spans most of the 6×6 code: few windows of its size fit, and overlapping ones are
  // skipped, so one or a few regions come back.
  await expect(matches.first()).toBeVisible();
  const titles = await matches.evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''));
  // The other photo's region when one was found, to see the click switch photos.
  const pick = Math.max(0, titles.findIndex((t) => t.startsWith('chelsea')));
  const name = titles[pick].split(' · ')[0];
  console.log(`label-space search from the person: ${titles.join('; ')}`);
  await matches.nth(pick).click();
  await expect(page.locator('.photo-item.active')).toContainText(name);

  await page.getByTestId('label-preset').selectOption('coco');
  await expect(panel.getByTestId('label-space-unavailable')).toContainText('COCO');

  // Closing the photo shown removes what the search holds of it: its regions, or the whole search if it was the query's.
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('photo-item').filter({ hasText: name })).toHaveCount(0);
  const left = await page.evaluate(() => window.__zoomoutStudio!.state().labelSearch);
  if (name.startsWith('astronaut')) expect(left).toBeUndefined();
  else expect(left?.status === 'ready' && left.matches.every((m) => m.photoId === left.photoId)).toBe(true);
});
