// The kiosk's one task. It is the part a kiosk of another purpose replaces (document OCR, say):
// the models it needs offline, and the UI that runs it once they are stored.
import { isAirlockError, type Runtime } from '../../src/index.js';

export interface KioskTask {
  title: string;
  /** prefetched on the first visit and checked for "ready offline" */
  models: string[];
  mount(ai: Runtime, root: HTMLElement): void;
}

export const sentimentTask: KioskTask = {
  title: 'Sentiment',
  models: ['tiny-sentiment'],
  mount(ai, root) {
    root.innerHTML = `
      <label for="task-input">Text to classify (demonstration model, tiny-sentiment)</label>
      <textarea id="task-input" rows="3">What a wonderful film, great acting!</textarea>
      <button id="task-run">Classify</button>
      <div id="task-out" class="out" aria-live="polite"></div>`;
    const input = root.querySelector<HTMLTextAreaElement>('#task-input')!;
    const run = root.querySelector<HTMLButtonElement>('#task-run')!;
    const out = root.querySelector<HTMLDivElement>('#task-out')!;
    const classifier = ai.pipeline('text-classification', 'tiny-sentiment');
    run.addEventListener('click', () => {
      run.disabled = true;
      out.className = 'out';
      out.removeAttribute('data-label');
      void classifier
        .then(async (classify) => {
          const [top] = (await classify(input.value)) as { label: string; score: number }[];
          out.dataset.label = top!.label;
          out.textContent = `${top!.label} ${top!.score.toFixed(4)} (${classify.backend})`;
        })
        .catch((e: unknown) => {
          out.className = 'out error';
          out.textContent = isAirlockError(e) ? `${e.code}: ${e.message}` : String(e);
        })
        .finally(() => (run.disabled = false));
    });
  },
};
