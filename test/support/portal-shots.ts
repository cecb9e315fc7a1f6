// Screenshots of a portal page at a desktop and a narrow size, into test-results/ (not committed).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { RESULTS_DIR } from './paths.js';

export const SHOT_SIZES = [
  { width: 1280, height: 800 },
  { width: 420, height: 900 },
] as const;

/** `name`-<width>x<height>.png for each size; the page keeps the last size. Returns the paths. */
export async function portalShots(page: Page, name: string): Promise<string[]> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const paths: string[] = [];
  for (const size of SHOT_SIZES) {
    await page.setViewportSize(size);
    const path = join(RESULTS_DIR, `${name}-${size.width}x${size.height}.png`);
    await page.screenshot({ path, fullPage: true });
    paths.push(path);
  }
  return paths;
}

/** Whether the page is wider than its window (a narrow layout that overflows sideways). */
export function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}
