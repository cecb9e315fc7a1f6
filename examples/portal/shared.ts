// What every portal page shares: one runtime, the nav, a progress bar in bytes, errors, backend names.
import { createRuntime, isAirlockError, type LoadProgress, type Runtime } from '../../src/index.js';

export const ai: Runtime = createRuntime();

const PAGES = [
  ['index', './', 'Home'],
  ['ocr', './ocr.html', 'Document OCR'],
  ['speech', './speech.html', 'Speech'],
  ['text', './text.html', 'Text'],
  ['models', './models.html', 'Models'],
  ['privacy', './privacy.html', 'Privacy'],
] as const;

export function mountNav(active: 'index' | 'ocr' | 'speech' | 'text' | 'models' | 'privacy'): void {
  const nav = document.getElementById('nav');
  if (!nav) return;
  nav.replaceChildren(
    ...PAGES.map(([id, href, label]) => {
      const a = Object.assign(document.createElement('a'), { href, textContent: label });
      if (id === active) a.setAttribute('aria-current', 'page');
      return a;
    }),
  );
}

const kB = (n: number) => `${(n / 1024).toFixed(1)} kB`;

/** A bar in bytes for one model's download; `done()` leaves it full. */
export function progressBar(container: HTMLElement): { update(p: LoadProgress): void; done(): void } {
  const bar = document.createElement('progress');
  const label = document.createElement('span');
  container.replaceChildren(bar, label);
  let total = 0;
  return {
    update(p) {
      total = p.total;
      bar.max = Math.max(p.total, 1);
      bar.value = p.loaded;
      label.textContent = `${p.phase} ${kB(p.loaded)} of ${kB(p.total)}`;
    },
    done() {
      bar.max = Math.max(total, 1);
      bar.value = bar.max;
      label.textContent = `stored ${kB(total)}`;
    },
  };
}

export function showError(el: HTMLElement, e: unknown): void {
  el.classList.add('error');
  el.textContent = isAirlockError(e) ? `${e.code}: ${e.message}` : String(e);
}

export function backendLabel(backend: string): string {
  return backend === 'webgpu' ? 'WebGPU' : backend === 'wasm' ? 'WASM' : backend;
}
