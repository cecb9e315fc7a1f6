// The portal demo: three models through the public API, nothing but this origin contacted, the
// model store that keeps them on the device, and the audit trail that shows it.
import { createRuntime, isAirlockError, type LoadProgress } from '../../src/index.js';
import { silence, speechLike, tone } from '../../scripts/fixtures/signals.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
// every audit event redraws the audit card (at most once a frame)
let auditFrame = 0;
const ai = createRuntime({ onAudit: () => (auditFrame ||= requestAnimationFrame(() => void showAudit())) });

/** One line per model while it loads: phase and bytes. */
const loading = new Map<string, string>();
function showProgress(p: LoadProgress): void {
  const kb = (n: number) => `${(n / 1024).toFixed(0)} kB`;
  loading.set(
    p.modelId,
    p.phase === 'ready' ? '' : `${p.modelId}: ${p.phase}${p.total ? ` ${kb(p.loaded)} of ${kb(p.total)}` : ''}`,
  );
  const lines = [...loading.values()].filter(Boolean);
  if (lines.length) $('status').textContent = `loading ${lines.join(' · ')}`;
}

function showError(target: HTMLElement, e: unknown): void {
  target.className = 'out error';
  target.textContent = isAirlockError(e) ? `${e.code}: ${e.message}` : String(e);
}

// The browser ignores a click handler's returned promise, so handlers call busy with `void`
// (a rejection still reaches the console as an unhandled one).
async function busy(button: HTMLButtonElement, work: () => Promise<void>): Promise<void> {
  button.disabled = true;
  try {
    await work();
  } finally {
    button.disabled = false;
  }
}

const classifier = ai.pipeline('text-classification', 'tiny-sentiment', { onProgress: showProgress });
$<HTMLButtonElement>('sentiment-run').addEventListener(
  'click',
  (ev) =>
    void busy(ev.currentTarget as HTMLButtonElement, async () => {
      const out = $('sentiment-out');
      try {
        const classify = await classifier;
        const scores = (await classify($<HTMLTextAreaElement>('sentiment-text').value, { top_k: 2 })) as {
          label: string;
          score: number;
        }[];
        out.className = 'out';
        out.replaceChildren(
          ...scores.map(({ label, score }) => {
            const row = document.createElement('div');
            row.className = 'bar';
            const bar = document.createElement('div');
            bar.style.width = `${(score * 100).toFixed(1)}%`;
            row.append(
              Object.assign(document.createElement('span'), { textContent: label }),
              bar,
              Object.assign(document.createElement('span'), { textContent: score.toFixed(4) }),
            );
            return row;
          }),
        );
        out.dataset.label = scores[0]!.label;
      } catch (e) {
        showError(out, e);
      }
    }),
);

const generator = ai.pipeline('text-generation', 'tiny-lm', { onProgress: showProgress });
let stopStory: AbortController | undefined;
$<HTMLButtonElement>('story-stop').addEventListener('click', () => stopStory?.abort());
$<HTMLButtonElement>('story-run').addEventListener(
  'click',
  (ev) =>
    void busy(ev.currentTarget as HTMLButtonElement, async () => {
      const out = $('story-out');
      const stop = $<HTMLButtonElement>('story-stop');
      const prompt = $<HTMLInputElement>('story-prompt').value;
      stopStory = new AbortController();
      stop.disabled = false;
      out.className = 'out';
      out.textContent = prompt;
      delete out.dataset.done;
      try {
        const generate = await generator;
        // pieces arrive as the worker produces them; the page stays free meanwhile
        for await (const piece of generate.stream(prompt, { maxNewTokens: 64, signal: stopStory.signal }))
          out.textContent += piece;
        out.dataset.done = 'true';
      } catch (e) {
        if (isAirlockError(e) && e.code === 'ABORTED') out.textContent += ' [stopped]';
        else showError(out, e);
      } finally {
        stop.disabled = true;
      }
    }),
);

// speech detection in the worker: Silero v5's frames with their context, one call per recording
const vad = ai.vad({ onProgress: showProgress });
const signals = { silence, tone, speech: speechLike };

function plot(probs: number[]): void {
  const canvas = $<HTMLCanvasElement>('vad-chart');
  const g = canvas.getContext('2d')!;
  g.clearRect(0, 0, canvas.width, canvas.height);
  g.strokeStyle = '#c8d0da';
  g.beginPath();
  g.moveTo(0, canvas.height / 2);
  g.lineTo(canvas.width, canvas.height / 2);
  g.stroke();
  const w = canvas.width / probs.length;
  probs.forEach((p, i) => {
    g.fillStyle = p > 0.5 ? '#2f6fde' : '#9bb4e3';
    g.fillRect(i * w + 1, canvas.height * (1 - p), w - 2, canvas.height * p);
  });
}

for (const button of document.querySelectorAll<HTMLButtonElement>('#vad button')) {
  button.addEventListener(
    'click',
    () =>
      void busy(button, async () => {
        const out = $('vad-out');
        try {
          const detector = await vad;
          const samples = signals[button.dataset.signal as keyof typeof signals](16_000);
          const probs = Array.from(await detector.probabilities(samples, { sampleRate: 16_000 }));
          plot(probs);
          const mean = probs.reduce((a, b) => a + b, 0) / probs.length;
          out.className = 'out';
          out.textContent = `${probs.length} frames of 32 ms, mean speech probability ${mean.toFixed(3)} (${detector.backend})`;
        } catch (e) {
          showError(out, e);
        }
      }),
  );
}

/** What the store holds: the models downloaded once and verified, with their sizes. */
async function showStore(): Promise<void> {
  const models = (await ai.cache.list()).sort((a, b) => a.id.localeCompare(b.id));
  const cell = (text: string, className = '') =>
    Object.assign(document.createElement('td'), { textContent: text, className });
  $('store-models')
    .querySelector('tbody')!
    .replaceChildren(
      ...models.map((m) => {
        const row = document.createElement('tr');
        row.dataset.model = m.id;
        row.append(
          cell(m.id),
          cell(m.revision.slice(0, 8)),
          cell(`${(m.bytes / 1024).toFixed(0)} kB`, 'num'),
          cell(new Date(m.lastUsed).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })),
        );
        return row;
      }),
    );
  const estimate = await ai.cache.estimate();
  const persisted = await ai.cache.persisted();
  $('store-out').textContent =
    `${models.length} model(s) stored${estimate ? `, origin uses ${(estimate.usage / 2 ** 20).toFixed(1)} MB` : ''}; ${persisted ? 'kept under storage pressure' : 'the browser may clear it under storage pressure'}.`;
}

$<HTMLButtonElement>('store-verify').addEventListener(
  'click',
  (ev) =>
    void busy(ev.currentTarget as HTMLButtonElement, async () => {
      const out = $('store-out');
      try {
        const reports = await Promise.all((await ai.cache.list()).map((m) => ai.cache.verify(m.id)));
        const files = reports.flatMap((r) => r?.files ?? []);
        const ok = files.filter((f) => f.ok).length;
        // a raw session (or a pipeline of one dtype) stores only the files it needs: the others are simply not there
        const absent = reports.flatMap((r) => r?.notStored ?? []);
        const bad = files.filter((f) => f.problem === 'mismatch' || f.problem === 'incomplete').map((f) => f.path);
        out.className = bad.length ? 'out error' : 'out';
        out.textContent = [
          `${ok} stored files of ${reports.length} models re-hashed${ok === files.length && !bad.length ? ': all match their manifests' : ''}.`,
          absent.length ? ` Not stored: ${absent.join(', ')}.` : '',
          bad.length ? ` Failed and dropped: ${bad.join(', ')}.` : '',
        ].join('');
        out.dataset.verified = String(ok);
      } catch (e) {
        showError(out, e);
      }
    }),
);

$<HTMLButtonElement>('store-clear').addEventListener(
  'click',
  (ev) =>
    void busy(ev.currentTarget as HTMLButtonElement, async () => {
      await ai.cache.clear();
      await showStore();
    }),
);

/** The evidence's verdict and its requests per origin, as an auditor would read them. */
async function showAudit(): Promise<void> {
  auditFrame = 0;
  const evidence = await ai.audit.export();
  const statement = $('audit-statement');
  statement.textContent = evidence.egress.statement;
  statement.className = evidence.egress.none ? 'statement ok' : 'statement error';
  statement.dataset.none = String(evidence.egress.none);
  const cell = (text: string, className = '') =>
    Object.assign(document.createElement('td'), { textContent: text, className });
  $('audit-origins')
    .querySelector('tbody')!
    .replaceChildren(
      ...evidence.requests.byOrigin.map((o) => {
        const row = document.createElement('tr');
        row.append(
          cell(o.origin),
          cell(o.allowed ? 'allowed' : 'outside', o.allowed ? '' : 'error'),
          cell(String(o.count), 'num'),
          cell(`${(o.bytes / 2 ** 20).toFixed(1)} MB`, 'num'),
        );
        return row;
      }),
    );
}

$<HTMLButtonElement>('audit-export').addEventListener(
  'click',
  (ev) =>
    void busy(ev.currentTarget as HTMLButtonElement, async () => {
      const evidence = await ai.audit.export();
      const json = JSON.stringify(evidence, null, 2);
      const link = Object.assign(document.createElement('a'), {
        href: URL.createObjectURL(new Blob([json], { type: 'application/json' })),
        download: `airlock-evidence-${evidence.generatedAt.replace(/[:.]/g, '-')}.json`,
      });
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000); // once the download has its bytes
      const out = $('audit-out');
      out.textContent = `Saved ${link.download}: ${evidence.models.length} models, ${evidence.requests.total} requests, ${evidence.verifications.total} verifications, ${(json.length / 1024).toFixed(1)} kB.`;
      out.dataset.models = String(evidence.models.length);
    }),
);

async function showRuntime(): Promise<void> {
  const info = await ai.info();
  const rows: [string, string][] = [
    ['device', info.device],
    ['WebGPU adapter', info.webgpu ? `${info.webgpu.vendor} ${info.webgpu.architecture}` : 'none'],
    ['cross-origin isolated', String(info.crossOriginIsolated)],
    ['WASM threads', String(info.wasmThreads)],
    ...info.models.map((m): [string, string] => [
      m.modelId,
      `${m.backend}${m.fallbackReason ? ` (${m.fallbackReason})` : ''} · rev ${m.revision.slice(0, 12)}`,
    ]),
    ...info.notes.map((n): [string, string] => ['note', n]),
  ];
  $('runtime-info').replaceChildren(
    ...rows.flatMap(([k, v]) => [
      Object.assign(document.createElement('dt'), { textContent: k }),
      Object.assign(document.createElement('dd'), { textContent: v }),
    ]),
  );
}

// runs once at start-up and nothing waits for it
void Promise.allSettled([classifier, generator, vad]).then(async (loads) => {
  const failed = loads.filter((l) => l.status === 'rejected').length;
  await Promise.all([showRuntime(), showStore(), showAudit()]);
  $('status').textContent = failed ? `ready (${failed} model(s) failed to load)` : 'ready';
});
