// Every transformers.js task with a fixture, through the public API in the worker, against the
// fixtures' plain references.
import { describe, expect, it } from 'vitest';
import { speak } from '../../scripts/fixtures/tiny-asr.js';
import { reference as embedReference } from '../../scripts/fixtures/tiny-embed.js';
import { referenceGenerate } from '../../scripts/fixtures/tiny-lm.js';
import { reference as mlmReference } from '../../scripts/fixtures/tiny-mlm.js';
import { reference as nerReference } from '../../scripts/fixtures/tiny-ner.js';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { useBrowser } from '../support/browser.js';
import { maxAbsDiff } from '../support/ort-reference.js';
import { anyMessage } from '../support/outcome.js';

const browser = useBrowser();

describe(`tasks (${browser.mode})`, () => {
  it('text-classification, token-classification, feature-extraction, fill-mask, text-generation and speech recognition match their references', async () => {
    const { page } = await browser.open();
    const speech = Array.from(speak('hello world'));
    const got = await page.evaluate(async (speech) => {
      const ai = window.airlock.createRuntime();
      const [classify, tag, embed, fill, generate, transcribe] = await Promise.all([
        ai.pipeline('text-classification', 'tiny-sentiment'),
        ai.pipeline('token-classification', 'tiny-ner'),
        ai.pipeline('feature-extraction', 'tiny-embed'),
        ai.pipeline('fill-mask', 'tiny-mlm'),
        ai.pipeline('text-generation', 'tiny-lm'),
        ai.pipeline('automatic-speech-recognition', 'tiny-asr'),
      ]);
      const out = {
        backends: [classify, tag, embed, fill, generate, transcribe].map((h) => h.backend),
        transcribed: await transcribe(Float32Array.from(speech)),
        notAudio: await window.settle(transcribe('http://elsewhere.example/a.wav')),
        classified: await classify(['great film', 'boring plot'], { top_k: 2 }),
        tagged: await tag('great film but awful plot'),
        embedded: await embed(['great film', 'rain and sun'], { pooling: 'mean', normalize: true }),
        filled: await fill('the weather was [MASK].'),
        robot: await generate('Once upon a time there was a robot', { maxNewTokens: 32 }),
        cat: await generate('Once upon a time there was a cat', { max_new_tokens: 32 }),
        models: (await ai.info()).models.map((m) => m.modelId).sort(),
      };
      await ai.dispose();
      return out;
    }, speech);

    expect(got.backends).toEqual(new Array(6).fill(browser.expectedBackend));
    expect(got.models).toEqual(['tiny-asr', 'tiny-embed', 'tiny-lm', 'tiny-mlm', 'tiny-ner', 'tiny-sentiment']);
    expect(got.transcribed).toEqual({ text: 'hello world' });
    expect(got.notAudio).toEqual({ ok: false, code: 'BAD_INPUT', message: anyMessage, details: undefined });

    const classified = got.classified as { label: string; score: number }[][];
    ['great film', 'boring plot'].forEach((text, i) => {
      const want = sentimentReference(text);
      expect(classified[i]!.map((c) => c.label)).toEqual(want.map((w) => w.label));
      expect(
        maxAbsDiff(
          classified[i]!.map((c) => c.score),
          want.map((w) => w.score),
        ),
      ).toBeLessThan(1e-4);
    });

    const tagged = got.tagged as { entity: string; score: number; index: number; word: string }[];
    const wantTags = nerReference('great film but awful plot');
    expect(tagged.map(({ entity, index, word }) => ({ entity, index, word }))).toEqual(
      wantTags.map(({ entity, index, word }) => ({ entity, index, word })),
    );
    expect(
      maxAbsDiff(
        tagged.map((t) => t.score),
        wantTags.map((t) => t.score),
      ),
    ).toBeLessThan(1e-4);

    const embedded = got.embedded as { type: string; dims: number[]; data: Float32Array };
    expect(embedded.type).toBe('float32');
    expect(embedded.dims).toEqual([2, 6]);
    expect(
      maxAbsDiff(embedded.data, [...embedReference('great film'), ...embedReference('rain and sun')]),
    ).toBeLessThan(1e-4);

    const filled = got.filled as { token_str: string; score: number }[];
    const wantFill = mlmReference('the weather was [MASK].');
    expect(filled.map((f) => f.token_str)).toEqual(wantFill.map((f) => f.token_str));
    expect(
      maxAbsDiff(
        filled.map((f) => f.score),
        wantFill.map((f) => f.score),
      ),
    ).toBeLessThan(1e-4);

    for (const [key, prompt] of [
      ['robot', 'Once upon a time there was a robot'],
      ['cat', 'Once upon a time there was a cat'],
    ] as const) {
      const [out] = got[key] as { generated_text: string }[];
      expect(out!.generated_text).toBe(prompt + referenceGenerate(prompt));
    }
  });
});
