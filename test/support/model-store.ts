// What the model store's database holds, read in the page with plain IndexedDB (test/app/store-probe.ts).
import type { Page } from 'playwright-core';

export const storeOf = (page: Page) => page.evaluate(() => window.storeProbe.read('airlock-models'));

/** The store's record of one file (by its sha256), or undefined. */
export async function storedFile(page: Page, sha256: string) {
  return (await storeOf(page))?.files.find((f) => f.sha256 === sha256);
}
