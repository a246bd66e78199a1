// Accessibility: axe finds no serious or critical violation in the studio with a photo open, in the dark and
// the light theme, nor in the help overlay.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { resolve } from 'node:path';

async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const colorScheme of ['dark', 'light'] as const)
  test(`no serious or critical axe violations with a photo open (${colorScheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.goto('/');
    await page.getByTestId('file-input').setInputFiles(resolve('public/samples/coffee.png'));
    await expect(page.getByTestId('sp-count')).toContainText(/\d+/);
    await expect(page.getByTestId('top-classes')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await page.keyboard.press('?');
    await expect(page.getByTestId('help-overlay')).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
  });
