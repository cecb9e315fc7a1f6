// Document OCR: a sample scan or the visitor's own image, read in the worker; the lines' boxes
// drawn over the image, the text beside it with each line's confidence, timings and backend.
import type { OcrHandle, OcrLine, OcrResult } from '../../src/index.js';
import { ai, backendLabel, mountNav, progressBar, showError } from './shared.js';

const SAMPLES = ['receipt.png', 'label.png', 'form.png', 'paragraph.png', 'rotated.png', 'scan.png'];

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
mountNav('ocr');

const bar = progressBar($('progress'));
const loading: Promise<OcrHandle> = ai.ocr({ onProgress: (p) => bar.update(p) });
void loading.then(
  () => {
    bar.done();
    $('status').textContent = 'ready';
  },
  (e: unknown) => {
    bar.done();
    showError($('status'), e);
  },
);

function drawBox(g: CanvasRenderingContext2D, line: OcrLine): void {
  g.beginPath();
  line.box.forEach(([x, y], i) => (i ? g.lineTo(x, y) : g.moveTo(x, y)));
  g.closePath();
  g.fill();
  g.stroke();
}

/** The image at its own size (the canvas scales down with CSS), each line's box over it. */
function draw(image: ImageBitmap, lines: OcrLine[]): void {
  const canvas = $<HTMLCanvasElement>('canvas');
  canvas.width = image.width;
  canvas.height = image.height;
  const g = canvas.getContext('2d')!;
  g.drawImage(image, 0, 0);
  g.lineWidth = Math.max(2, image.width / 400);
  g.strokeStyle = '#2b62c4';
  g.fillStyle = '#2b62c41f';
  for (const line of lines) drawBox(g, line);
  canvas.dataset.boxes = String(lines.length);
}

function showLines(result: OcrResult): void {
  const list = $('lines');
  list.replaceChildren(
    ...result.lines.map((line) => {
      const item = document.createElement('li');
      const confidence = Object.assign(document.createElement('span'), {
        className: 'confidence',
        textContent: `${(line.confidence * 100).toFixed(1)}%`,
      });
      item.append(
        confidence,
        Object.assign(document.createElement('span'), { className: 'text', textContent: line.text }),
      );
      return item;
    }),
  );
  list.dataset.count = String(result.lines.length);
}

function showTimings(ocr: OcrHandle, result: OcrResult): void {
  const t = result.timings;
  const backends = [...new Set(ocr.sessions.map((s) => s.backend))];
  const ms = (n: number) => `${Math.round(n)} ms`;
  const timings = $('timings');
  timings.dataset.backend = backends.join(',');
  timings.textContent =
    `${result.width}×${result.height} px · detect ${ms(t.detect)} · angle ${ms(t.classify)} · ` +
    `recognise ${ms(t.recognize)} · total ${ms(t.total)} · on ${backends.map(backendLabel).join(', ')}`;
}

let busy = false;
async function read(image: Blob, name: string): Promise<void> {
  if (busy) return;
  busy = true;
  const out = $('ocr-out');
  out.className = 'out';
  out.textContent = `reading ${name}…`;
  $('image-name').textContent = name;
  $<HTMLButtonElement>('copy').disabled = true;
  delete $('lines').dataset.count;
  try {
    const shown = await createImageBitmap(image);
    draw(shown, []);
    const ocr = await loading;
    const result = await ocr(image);
    draw(shown, result.lines);
    shown.close();
    showLines(result);
    lastLines = result.lines;
    showTimings(ocr, result);
    out.textContent = result.lines.length ? '' : 'No text found in this image.';
    $<HTMLButtonElement>('copy').disabled = result.lines.length === 0;
  } catch (e) {
    out.textContent = '';
    showError(out, e);
  } finally {
    busy = false;
  }
}

let lastLines: OcrLine[] = [];

/** The lines as rows of text: lines side by side (a receipt's item and price) share a row. */
function rowsText(lines: OcrLine[]): string {
  const middle = (l: OcrLine) => (l.box[0][1] + l.box[3][1]) / 2;
  const height = (l: OcrLine) => l.box[3][1] - l.box[0][1];
  const rows: OcrLine[][] = [];
  for (const line of lines) {
    const row = rows.at(-1);
    const last = row?.at(-1);
    if (row && last && Math.abs(middle(line) - middle(last)) < height(last) / 2) row.push(line);
    else rows.push([line]);
  }
  return rows.map((row) => row.map((l) => l.text).join(' ')).join('\n');
}

async function copyText(): Promise<void> {
  const text = rowsText(lastLines);
  const out = $('copy-out');
  try {
    await navigator.clipboard.writeText(text);
    out.textContent = 'Copied.';
  } catch {
    out.textContent = 'The browser refused the clipboard: select the lines and copy them by hand.';
  }
}

for (const name of SAMPLES) {
  const button = Object.assign(document.createElement('button'), { className: 'quiet', textContent: name });
  button.dataset.sample = name;
  button.addEventListener('click', () => {
    void fetch(`samples/ocr/${name}`)
      .then((r) => r.blob())
      .then((blob) => read(blob, name));
  });
  $('samples').append(button);
}

const drop = $('drop');
drop.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  const file = e.dataTransfer?.files[0];
  if (file) void read(file, file.name);
});
$<HTMLInputElement>('file').addEventListener('change', (e) => {
  const file = (e.currentTarget as HTMLInputElement).files?.[0];
  if (file) void read(file, file.name);
});
$('copy').addEventListener('click', () => void copyText());
