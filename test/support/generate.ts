// In the page: loads a text-generation model from `base` and generates from one prompt. The
// outcome is plain data: the generated text, or the error's code, message and details.
import type { Page } from 'playwright-core';
import type { Outcome } from './outcome.js';

export interface Generation {
  base: string;
  prompt: string;
  id?: string;
  /** the store's chunk size: small chunks make many writes, so a cut leaves a prefix */
  chunkBytes?: number;
  revalidate?: boolean;
}

export function generateIn(
  page: Page,
  { base, prompt, id = 'tiny-lm', chunkBytes = 1024, revalidate }: Generation,
): Promise<Outcome> {
  return page.evaluate(
    async ({ base, prompt, id, chunkBytes, load }) => {
      const ai = window.airlock.createRuntime({ modelBase: base, cache: { chunkBytes } });
      try {
        const text = ai
          .pipeline('text-generation', id, load)
          .then(async (run) => ((await run(prompt)) as { generated_text: string }[])[0]!.generated_text);
        return await window.settle(text);
      } finally {
        await ai.dispose();
      }
    },
    { base, prompt, id, chunkBytes, load: revalidate === undefined ? {} : { revalidate } },
  );
}
