// The kiosk's one task: document OCR. It is the part a kiosk of another purpose replaces: the
// models it needs offline, and the UI that runs it once they are stored.
import { isAirlockError, type OcrResult, type Runtime } from '../../src/index.js';

export interface KioskTask {
  title: string;
  /** prefetched on the first visit and checked for "ready offline" */
  models: string[];
  mount(ai: Runtime, root: HTMLElement): void;
}

/** the one sample offered, part of the shell (the build copies it from test/fixtures/ocr) */
const SAMPLE = 'samples/ocr/label.png';

/** The lines as rows: lines side by side (a label's words split by the detector) share a row. */
function rowsOf(result: OcrResult): string[] {
  const rows: OcrResult['lines'][] = [];
  for (const line of result.lines) {
    const last = rows.at(-1)?.at(-1);
    const middle = (l: typeof line) => (l.box[0][1] + l.box[3][1]) / 2;
    if (last && Math.abs(middle(line) - middle(last)) < (last.box[3][1] - last.box[0][1]) / 2) rows.at(-1)!.push(line);
    else rows.push([line]);
  }
  return rows.map((row) => row.map((l) => l.text).join(' '));
}

function draw(canvas: HTMLCanvasElement, image: ImageBitmap, result: OcrResult | null): void {
  canvas.width = image.width;
  canvas.height = image.height;
  const g = canvas.getContext('2d')!;
  g.drawImage(image, 0, 0);
  g.strokeStyle = '#1f7a4d';
  g.lineWidth = Math.max(2, image.width / 300);
  for (const { box } of result?.lines ?? []) {
    g.beginPath();
    box.forEach(([x, y], i) => (i ? g.lineTo(x, y) : g.moveTo(x, y)));
    g.closePath();
    g.stroke();
  }
}

export const ocrTask: KioskTask = {
  title: 'Document reader',
  models: ['paddleocr-v4'],
  mount(ai, root) {
    root.innerHTML = `
      <div class="pick">
        <button id="task-sample">Read the sample label</button>
        <label class="drop" id="task-drop">or drop a scan here, or choose one
          <input id="task-file" type="file" accept="image/png,image/jpeg,image/webp,image/gif,image/bmp" /></label>
      </div>
      <canvas id="task-image" width="256" height="64" hidden></canvas>
      <div id="task-out" class="out" aria-live="polite"></div>`;
    const $ = <T extends HTMLElement>(id: string) => root.querySelector<T>(`#${id}`)!;
    const out = $<HTMLDivElement>('task-out');
    const canvas = $<HTMLCanvasElement>('task-image');
    const reader = ai.ocr({ model: 'paddleocr-v4' });
    const read = async (image: Blob) => {
      out.className = 'out';
      out.removeAttribute('data-text');
      out.textContent = 'reading…';
      try {
        const shown = await createImageBitmap(image);
        canvas.hidden = false;
        draw(canvas, shown, null);
        const ocr = await reader;
        const result = await ocr(image);
        draw(canvas, shown, result);
        shown.close();
        const rows = rowsOf(result);
        out.dataset.text = rows.join('\n');
        const backends = [...new Set(ocr.sessions.map((s) => s.backend))].join(', ');
        out.replaceChildren(
          ...rows.map((r) => Object.assign(document.createElement('p'), { className: 'line', textContent: r })),
          Object.assign(document.createElement('p'), {
            className: 'meta',
            textContent: `${Math.round(result.timings.total)} ms (${backends})`,
          }),
        );
      } catch (e) {
        out.className = 'out error';
        out.textContent = isAirlockError(e) ? `${e.code}: ${e.message}` : String(e);
      }
    };
    $('task-sample').addEventListener('click', () => {
      void fetch(SAMPLE)
        .then((r) => r.blob())
        .then(read);
    });
    $<HTMLInputElement>('task-file').addEventListener('change', (e) => {
      const file = (e.currentTarget as HTMLInputElement).files?.[0];
      if (file) void read(file);
    });
    const drop = $('task-drop');
    drop.addEventListener('dragover', (e) => e.preventDefault());
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      const file = e.dataTransfer?.files[0];
      if (file) void read(file);
    });
  },
};
