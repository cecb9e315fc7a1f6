// What every page of the portal shares: its one runtime, the navigation (with the backend in
// use), a progress bar in bytes for model downloads, and how an error is shown.
import { createRuntime, isAirlockError, type LoadProgress, type Runtime } from '../../src/index.js';

/** One runtime per page, with the portal's settings: models and runtime files from this origin. */
export const ai: Runtime = createRuntime({ modelBase: '/models/', runtimeBase: '/airlock/ort/', device: 'auto' });

type PageId = 'index' | 'ocr' | 'speech' | 'text' | 'models' | 'privacy';

const PAGES: { id: PageId; href: string; label: string }[] = [
  { id: 'index', href: './index.html', label: 'Home' },
  { id: 'ocr', href: './ocr.html', label: 'Document OCR' },
  { id: 'speech', href: './speech.html', label: 'Speech' },
  { id: 'text', href: './text.html', label: 'Text' },
  { id: 'models', href: './models.html', label: 'Models' },
  { id: 'privacy', href: './privacy.html', label: 'Privacy' },
];

/** `webgpu` → `WebGPU`, `wasm` → `WASM (CPU)`; anything else as it is. */
export function backendLabel(backend: string): string {
  if (backend === 'webgpu') return 'WebGPU';
  if (backend === 'wasm') return 'WASM (CPU)';
  return backend;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}) {
  return Object.assign(document.createElement(tag), props);
}

/** Fills `<nav id="nav">`: the six pages, the active one marked, and the backend `auto` takes here. */
export function mountNav(active: PageId): void {
  const nav = document.getElementById('nav');
  if (!nav) return;
  const brand = el('a', { href: './index.html', className: 'brand', textContent: 'Airlock' });
  const links = el('ul');
  for (const page of PAGES) {
    const link = el('a', { href: page.href, textContent: page.label });
    if (page.id === active) link.setAttribute('aria-current', 'page');
    const item = el('li');
    item.append(link);
    links.append(item);
  }
  const backend = el('span', { className: 'backend', id: 'nav-backend', textContent: 'backend …' });
  nav.replaceChildren(brand, links, backend);
  void ai.info().then(
    (info) => {
      const kind = info.webgpu ? 'webgpu' : 'wasm';
      backend.dataset.backend = kind;
      backend.textContent = info.webgpu
        ? `${backendLabel(kind)} · ${info.webgpu.vendor} ${info.webgpu.architecture}`
        : `${backendLabel(kind)} · ${info.wasmThreads} thread${info.wasmThreads === 1 ? '' : 's'}`;
    },
    (e: unknown) => showError(backend, e),
  );
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

/** A bar in bytes ("12.3 of 15.9 MB") for a model download, inside `container`. */
export function progressBar(container: HTMLElement): { update(p: LoadProgress): void; done(): void } {
  const fill = el('div', { className: 'fill' });
  const label = el('span', { className: 'label', textContent: 'starting' });
  const bar = el('div', { className: 'progress' });
  bar.setAttribute('role', 'progressbar');
  bar.append(el('div', { className: 'track' }), label);
  bar.firstElementChild!.append(fill);
  container.append(bar);
  return {
    update(p) {
      const share = p.total ? p.loaded / p.total : 0;
      fill.style.width = `${(share * 100).toFixed(1)}%`;
      bar.setAttribute('aria-valuenow', String(Math.round(share * 100)));
      bar.dataset.loaded = String(p.loaded);
      bar.dataset.total = String(p.total);
      label.textContent = `${p.modelId}: ${p.phase} · ${mb(p.loaded)} of ${mb(p.total)} MB`;
    },
    done() {
      bar.remove();
    },
  };
}

/** The code and message of an AirlockError (anything else as text) in `el`, marked as an error. */
export function showError(target: HTMLElement, e: unknown): void {
  target.classList.add('error');
  if (isAirlockError(e)) {
    target.dataset.code = e.code;
    target.textContent = `${e.code}: ${e.message}`;
  } else target.textContent = String(e);
}
