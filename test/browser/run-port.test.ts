// Runs travel as one message each way on the worker's port (src/protocol/run-port.ts): what the
// page's Worker sends and receives is counted by a subclass put in place before the runtime
// starts its worker.
import { describe, expect, it } from 'vitest';
import { referenceGenerate } from '../../scripts/fixtures/tiny-lm.js';
import { useBrowser } from '../support/browser.js';

const browser = useBrowser();

/** Installs the counting Worker; `window.seen` lists each message's kind, in order. */
function countWorkerMessages(): void {
  const kind = (data: unknown): string => {
    const d = data as Record<string, Record<string, unknown> | undefined>;
    const run = d['airlock:run'];
    if (run) return run.event ? 'run-event' : run.result ? 'run-result' : `run:${String(run.method)}`;
    if (d['airlock:message']) return 'audit';
    return 'comlink';
  };
  const seen: string[] = [];
  (window as unknown as { seen: string[] }).seen = seen;
  const Real = window.Worker;
  window.Worker = class extends Real {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener('message', (e) => seen.push(`in ${kind(e.data)}`));
    }
    override postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions): void {
      seen.push(`out ${kind(message)}`);
      super.postMessage(message, transfer as Transferable[]);
    }
  };
}

describe(`runs on the worker's port (${browser.mode})`, () => {
  it('a session run is one message each way, its record is in the audit trail, and its outputs move to the page', async () => {
    const { page } = await browser.open();
    await page.evaluate(countWorkerMessages);
    const got = await page.evaluate(async () => {
      const seen = (window as unknown as { seen: string[] }).seen;
      const ai = window.airlock.createRuntime();
      const session = await ai.session('silero-vad');
      const feeds = () => ({
        input: { type: 'float32' as const, data: new Float32Array(576).fill(0.01), dims: [1, 576] },
        state: { type: 'float32' as const, data: new Float32Array(256), dims: [2, 1, 128] },
        sr: { type: 'int64' as const, data: new BigInt64Array([16000n]), dims: [] },
      });
      const from = seen.length;
      const outputs = [];
      for (let i = 0; i < 3; i++) {
        const f = feeds();
        const out = await session.run(f);
        outputs.push({ sent: f.input.data.byteLength, prob: out.output!.data[0], state: out.stateN!.dims });
      }
      const messages = seen.slice(from);
      const runs = ai.audit.events().filter((e) => e.type === 'run');
      await ai.dispose();
      return { messages, outputs, runs: runs.map((r) => ({ modelId: r.modelId, ok: r.ok, inputBytes: r.inputBytes })) };
    });
    expect(got.messages).toEqual(Array.from({ length: 3 }, () => ['out run:runSession', 'in run-result']).flat());
    for (const o of got.outputs) {
      expect(o.sent).toBe(0); // the input buffers were transferred, not copied
      expect(o.prob).toBeGreaterThan(0);
      expect(o.prob).toBeLessThan(1);
      expect(o.state).toEqual([2, 1, 128]);
    }
    // each tensor's data, its type's name as UTF-8 and 8 bytes per dim:
    // input 2304 + 7 + 16, state 1024 + 7 + 24, sr 8 + 5 + 0
    const inputBytes = 2304 + 7 + 16 + (1024 + 7 + 24) + (8 + 5);
    expect(got.runs).toEqual(Array.from({ length: 3 }, () => ({ modelId: 'silero-vad', ok: true, inputBytes })));
  });

  it("a stream's text pieces come on the port before its result, and comlink answers none of it", async () => {
    const { page } = await browser.open();
    await page.evaluate(countWorkerMessages);
    const prompt = 'Once upon a time there was a cat';
    const got = await page.evaluate(async (prompt) => {
      const seen = (window as unknown as { seen: string[] }).seen;
      const ai = window.airlock.createRuntime();
      const generate = await ai.pipeline('text-generation', 'tiny-lm');
      const from = seen.length;
      let text = '';
      for await (const piece of generate.stream(prompt, { maxNewTokens: 32 })) text += piece;
      const messages = seen.slice(from);
      await ai.dispose();
      return { text, messages };
    }, prompt);
    expect(got.text).toBe(referenceGenerate(prompt));
    const [first, ...rest] = got.messages;
    expect(first).toBe('out run:runPipeline');
    // text pieces, then the result last; an abort listener may add nothing: the stream ended
    expect(rest.at(-1)).toBe('in run-result');
    const between = rest.slice(0, -1);
    expect(between.length).toBeGreaterThan(3);
    expect(new Set(between)).toEqual(new Set(['in run-event']));
  });
});
