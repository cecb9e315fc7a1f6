// What the portal's tests share: screenshots at the two sizes the issue names, each checked for
// a horizontal scroll bar (the page must fit a narrow window).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { RESULTS_DIR } from './paths.js';

export const SIZES = [
  [1280, 800],
  [420, 900],
] as const;

/** Writes `<name>-<mode>-<w>x<h>.png` into test-results/ at each size; fails if the page scrolls sideways. */
export async function screenshots(page: Page, name: string, mode: string): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow, `${name} scrolls sideways at ${width} px`).toBe(0);
    await page.screenshot({ path: join(RESULTS_DIR, `${name}-${mode}-${width}x${height}.png`), fullPage: true });
  }
}
