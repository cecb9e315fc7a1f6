// The text page: a streaming story with Stop, sentiment, and semantic search over DOCUMENTS.
// Every model shows its download in bytes; every result says which backend ran it.
import { isAirlockError, type LoadProgress, type PipelineHandle } from '../../src/index.js';
import { DOCUMENTS } from './documents.js';
import { ai, backendLabel, mountNav, progressBar, showError } from './shared.js';

mountNav('text');

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Loads a pipeline with its own bar; the card's button is enabled once it is ready. */
async function load(card: string, task: string, modelId: string): Promise<PipelineHandle> {
  const holder = $(`${card}-progress`);
  const bar = progressBar(holder);
  const onProgress = (p: LoadProgress) => {
    bar.update(p);
    Object.assign(holder.dataset, { loaded: String(p.loaded), total: String(p.total) });
  };
  try {
    const handle = await ai.pipeline(task, modelId, { onProgress });
    bar.done();
    $<HTMLButtonElement>(`${card}-run`).disabled = false;
    return handle;
  } catch (e) {
    showError($(`${card}-meta`), e);
    throw e;
  }
}

function ranOn(card: string, handle: PipelineHandle, started: number): void {
  const meta = $(`${card}-meta`);
  meta.className = 'meta';
  meta.dataset.backend = handle.backend;
  meta.textContent = `ran on ${backendLabel(handle.backend)} in ${(performance.now() - started).toFixed(0)} ms`;
}

const generator = load('story', 'text-generation', 'tiny-lm');
const classifier = load('sentiment', 'text-classification', 'tiny-sentiment');
const embedder = load('search', 'feature-extraction', 'tiny-embed');

let stopStory: AbortController | undefined;
$('story-stop').addEventListener('click', () => stopStory?.abort());

async function tellStory(): Promise<void> {
  const out = $('story-out');
  const [run, stop] = [$<HTMLButtonElement>('story-run'), $<HTMLButtonElement>('story-stop')];
  const prompt = $<HTMLInputElement>('story-prompt').value;
  const generate = await generator;
  stopStory = new AbortController();
  [run.disabled, stop.disabled] = [true, false];
  out.textContent = prompt;
  out.dataset.state = 'running';
  const started = performance.now();
  try {
    // pieces arrive as the worker makes them; Stop aborts the generation in the worker
    for await (const piece of generate.stream(prompt, { maxNewTokens: 64, signal: stopStory.signal }))
      out.textContent += piece;
    out.dataset.state = 'done';
    ranOn('story', generate, started);
  } catch (e) {
    if (!isAirlockError(e) || e.code !== 'ABORTED') throw e;
    out.dataset.state = 'stopped';
    ranOn('story', generate, started);
    $('story-meta').textContent += ' · stopped before the end';
  } finally {
    [run.disabled, stop.disabled] = [false, true];
  }
}

function scoreRow(label: string, score: number): HTMLElement {
  const row = document.createElement('div');
  row.className = 'bar';
  const fill = document.createElement('div');
  fill.style.width = `${(score * 100).toFixed(1)}%`;
  row.append(
    Object.assign(document.createElement('span'), { textContent: label }),
    fill,
    Object.assign(document.createElement('span'), { textContent: score.toFixed(4), className: 'num' }),
  );
  return row;
}

async function classify(): Promise<void> {
  const handle = await classifier;
  const started = performance.now();
  const scores = (await handle($<HTMLTextAreaElement>('sentiment-text').value, { top_k: 2 })) as {
    label: string;
    score: number;
  }[];
  const out = $('sentiment-out');
  out.replaceChildren(...scores.map((s) => scoreRow(s.label, s.score)));
  out.dataset.label = scores[0]!.label;
  out.dataset.score = String(scores[0]!.score);
  ranOn('sentiment', handle, started);
}

/** One sentence's mean-pooled, normalized embedding. */
async function embed(handle: PipelineHandle, text: string): Promise<Float32Array> {
  const out = (await handle(text, { pooling: 'mean', normalize: true })) as { data: Float32Array };
  return out.data;
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((n, x, i) => n + x * b[i]!, 0);

// the documents are embedded once, on the first search
let index: Promise<Float32Array[]> | undefined;

async function search(): Promise<void> {
  const handle = await embedder;
  const started = performance.now();
  index ??= (async () => {
    const vectors: Float32Array[] = [];
    for (const d of DOCUMENTS) vectors.push(await embed(handle, d.text));
    return vectors;
  })();
  const text = $<HTMLInputElement>('search-query').value;
  const query = await embed(handle, text);
  // both are unit vectors: their dot product is the cosine similarity
  const ranked = (await index)
    .map((v, i) => ({ doc: DOCUMENTS[i]!, score: dot(query, v) }))
    .sort((a, b) => b.score - a.score);
  $('search-out').replaceChildren(
    ...ranked.map(({ doc, score }) => {
      const li = Object.assign(document.createElement('li'), { className: 'result' });
      li.dataset.doc = doc.id;
      li.dataset.score = String(score);
      li.append(
        Object.assign(document.createElement('span'), { className: 'num score', textContent: score.toFixed(4) }),
        Object.assign(document.createElement('strong'), { textContent: doc.title }),
        Object.assign(document.createElement('span'), { className: 'snippet', textContent: doc.text }),
      );
      return li;
    }),
  );
  $('search-out').dataset.query = text;
  ranOn('search', handle, started);
}

/** A click runs `work`; its failure is shown in the card, not thrown into the console. */
function onClick(card: string, work: () => Promise<void>): void {
  $(`${card}-run`).addEventListener('click', () => {
    work().catch((e: unknown) => showError($(`${card}-meta`), e));
  });
}

onClick('story', tellStory);
onClick('sentiment', classify);
onClick('search', search);
$('search-query').addEventListener('keydown', (e) => {
  if (e.key === 'Enter') $('search-run').click();
});

void Promise.allSettled([generator, classifier, embedder]).then((loads) => {
  const failed = loads.filter((l) => l.status === 'rejected').length;
  $('status').textContent = failed ? `ready (${failed} model(s) failed to load)` : 'ready';
});
