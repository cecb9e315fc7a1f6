// The generated fixtures: committed bytes are what the generator writes, and native onnxruntime
// and transformers.js (in Node) agree with the plain-TypeScript references.
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env, pipeline, RawImage } from '@huggingface/transformers';
import { referenceWordPiece } from '../../scripts/fixtures/bert-vocab.js';
import { CIN, COUT, reference as convReference } from '../../scripts/fixtures/conv-probe.js';
import { referenceLogits as asrLogits, referenceTranscribe, speak } from '../../scripts/fixtures/tiny-asr.js';
import { FIXTURES } from '../../scripts/fixtures/all.js';
import { referenceHidden, reference as embedReference } from '../../scripts/fixtures/tiny-embed.js';
import { referenceGenerate, referenceLogits, referenceTokenize } from '../../scripts/fixtures/tiny-lm.js';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { reference as nerReference } from '../../scripts/fixtures/tiny-ner.js';
import { reference as mlmReference } from '../../scripts/fixtures/tiny-mlm.js';
import { generateFixtures } from '../../scripts/generate-fixtures.js';
import {
  preprocess as visionPreprocess,
  referenceClassify,
  referenceLogits as visionReference,
  SAMPLE_NAMES,
  sampleImage,
  SIDE,
} from '../../scripts/fixtures/tiny-vision.js';
import { VISION_REFERENCE, visionLogits } from '../../scripts/write-vision-reference.js';
import { maxAbsDiff } from '../support/ort-reference.js';
import { MODELS_DIR } from '../support/paths.js';

const model = (id: string) => resolve(MODELS_DIR, id, 'onnx/model.onnx');
const int64 = (ids: readonly number[]) => new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);

describe('fixture generator', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'airlock-fixtures-'));
    await generateFixtures(dir);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  for (const fixture of FIXTURES) {
    it(`writes exactly the committed bytes of ${fixture.id}`, async () => {
      const list = async (root: string) =>
        (await readdir(root, { recursive: true, withFileTypes: true }))
          .filter((e) => e.isFile())
          .map((e) => join(e.parentPath, e.name).slice(root.length + 1))
          .sort();
      const fresh = await list(join(dir, fixture.id));
      expect(fresh).toContain('manifest.json');
      expect(await list(join(MODELS_DIR, fixture.id))).toEqual(fresh);
      for (const rel of fresh) {
        const same = (await readFile(join(dir, fixture.id, rel))).equals(
          await readFile(join(MODELS_DIR, fixture.id, rel)),
        );
        expect(same, `${fixture.id}/${rel} differs: run npm run fixtures`).toBe(true);
      }
    });
  }
});

describe('fixtures under native onnxruntime match their references', () => {
  it('tiny-sentiment logits', async () => {
    const s = await ort.InferenceSession.create(model('tiny-sentiment'));
    for (const text of ['great film', 'awful, boring plot', 'unbelievable!']) {
      const ids = referenceWordPiece(text);
      const out = await s.run({
        input_ids: int64(ids),
        attention_mask: int64(ids.map(() => 1)),
        token_type_ids: int64(ids.map(() => 0)),
      });
      const logits = Array.from(out.logits!.data as Float32Array);
      const probs = [Math.exp(logits[0]!), Math.exp(logits[1]!)].map((e, _, all) => e / (all[0]! + all[1]!));
      const want = Object.fromEntries(sentimentReference(text).map((r) => [r.label, r.score]));
      expect(maxAbsDiff(probs, [want.NEGATIVE!, want.POSITIVE!])).toBeLessThan(1e-6);
    }
  });

  it('tiny-embed hidden states', async () => {
    const s = await ort.InferenceSession.create(model('tiny-embed'));
    const text = 'the weather was good';
    const ids = referenceWordPiece(text);
    const out = await s.run({
      input_ids: int64(ids),
      attention_mask: int64(ids.map(() => 1)),
      token_type_ids: int64(ids.map(() => 0)),
    });
    expect(out.last_hidden_state!.dims).toEqual([1, ids.length, 6]);
    expect(maxAbsDiff(out.last_hidden_state!.data as Float32Array, referenceHidden(text).flat())).toBeLessThan(1e-6);
  });

  it('tiny-lm logits step by step through its KV cache', async () => {
    const s = await ort.InferenceSession.create(model('tiny-lm'));
    const prompt = referenceTokenize('Once upon a time there was a cat');
    const V = 24;
    let past: { key: ort.Tensor; value: ort.Tensor } = {
      key: new ort.Tensor('float32', new Float32Array(0), [1, 1, 0, V]),
      value: new ort.Tensor('float32', new Float32Array(0), [1, 1, 0, V]),
    };
    const seen: number[] = [];
    let chunk = prompt;
    for (let step = 0; step < 6; step++) {
      seen.push(...chunk);
      const out = await s.run({
        input_ids: int64(chunk),
        attention_mask: int64(seen.map(() => 1)),
        'past_key_values.0.key': past.key,
        'past_key_values.0.value': past.value,
      });
      const logits = out.logits!.data as Float32Array;
      const last = Array.from(logits.slice((chunk.length - 1) * V, chunk.length * V));
      expect(maxAbsDiff(last, referenceLogits(seen))).toBeLessThan(1e-4);
      past = { key: out['present.0.key']!, value: out['present.0.value']! };
      expect(past.key.dims).toEqual([1, 1, seen.length, V]);
      chunk = [last.indexOf(Math.max(...last))];
    }
  });

  it('tiny-asr logits', async () => {
    const s = await ort.InferenceSession.create(model('tiny-asr'));
    const audio = speak('hello world');
    const out = await s.run({ input_values: new ort.Tensor('float32', audio, [1, audio.length]) });
    const want = asrLogits(audio);
    expect(out.logits!.dims).toEqual([1, want.length, want[0]!.length]);
    expect(maxAbsDiff(out.logits!.data as Float32Array, want.flat())).toBeLessThan(1e-4);
    expect(referenceTranscribe(audio)).toBe('hello world');
  });

  it('conv-probe output', async () => {
    const s = await ort.InferenceSession.create(model('conv-probe'));
    const x = Array.from({ length: CIN }, (_, c) => Array.from({ length: 5 }, (_, t) => Math.cos(c + t * 0.5)));
    const out = await s.run({ x: new ort.Tensor('float32', Float32Array.from(x.flat()), [1, CIN, 5]) });
    expect(out.y!.dims).toEqual([1, COUT, 5]);
    expect(maxAbsDiff(out.y!.data as Float32Array, convReference(x).flat())).toBeLessThan(1e-5);
  });

  it('tiny-vision logits: native onnxruntime, the plain reference and the committed reference agree', async () => {
    const committed = JSON.parse(await readFile(VISION_REFERENCE, 'utf8')) as { logits: Record<string, number[]> };
    const native = await visionLogits(model('tiny-vision'));
    expect(Object.keys(native)).toEqual([...SAMPLE_NAMES]);
    for (const name of SAMPLE_NAMES) {
      expect(maxAbsDiff(native[name], committed.logits[name]!)).toBeLessThan(1e-6);
      const plain = visionReference(visionPreprocess(sampleImage(name), SIDE, SIDE));
      expect(maxAbsDiff(plain, committed.logits[name]!)).toBeLessThan(1e-5);
    }
    // each colour image gets its own label, and the purple one sits between red and blue
    const top = (name: (typeof SAMPLE_NAMES)[number]) => referenceClassify(committed.logits[name]!).map((r) => r.label);
    expect(SAMPLE_NAMES.map((n) => top(n)[0])).toEqual(['red', 'green', 'blue', 'stripes', 'red']);
    expect(top('purple')[1]).toBe('blue');
  });

  it('tiny-lm masks padded positions out of attention', async () => {
    const s = await ort.InferenceSession.create(model('tiny-lm'));
    // a topic word hidden by the mask must not steer the next token
    const ids = referenceTokenize(' cat that');
    const empty = new ort.Tensor('float32', new Float32Array(0), [1, 1, 0, 24]);
    const run = (mask: number[]) =>
      s.run({
        input_ids: int64(ids),
        attention_mask: int64(mask),
        'past_key_values.0.key': empty,
        'past_key_values.0.value': empty,
      });
    const argmax = (t: ort.Tensor) => {
      const last = Array.from((t.data as Float32Array).slice(24));
      return last.indexOf(Math.max(...last));
    };
    expect(argmax((await run([1, 1])).logits!)).toBe(referenceTokenize(' purred')[0]);
    expect(argmax((await run([0, 1])).logits!)).toBe(referenceTokenize(' slept')[0]);
  });
});

describe('fixtures under transformers.js (Node) match their references', () => {
  beforeAll(() => {
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = `${MODELS_DIR}/`;
  });

  it('text-classification', async () => {
    const classify = await pipeline('text-classification', 'tiny-sentiment', { device: 'cpu' });
    for (const text of ['great film', 'I hate this very terrible movie']) {
      const got = (await classify(text, { top_k: 2 })) as { label: string; score: number }[];
      const want = sentimentReference(text);
      expect(got.map((g) => g.label)).toEqual(want.map((w) => w.label));
      expect(
        maxAbsDiff(
          got.map((g) => g.score),
          want.map((w) => w.score),
        ),
      ).toBeLessThan(1e-4);
    }
  });

  it('token-classification', async () => {
    const tag = await pipeline('token-classification', 'tiny-ner', { device: 'cpu' });
    const text = 'great film but awful plot';
    const got = (await tag(text)) as { entity: string; score: number; index: number; word: string }[];
    const want = nerReference(text);
    expect(want.map((w) => w.entity)).toEqual(['B-POS', 'B-FILM', 'B-NEG', 'B-FILM']);
    expect(got.map(({ entity, index, word }) => ({ entity, index, word }))).toEqual(
      want.map(({ entity, index, word }) => ({ entity, index, word })),
    );
    expect(
      maxAbsDiff(
        got.map((g) => g.score),
        want.map((w) => w.score),
      ),
    ).toBeLessThan(1e-4);
  });

  it('fill-mask', async () => {
    const fill = await pipeline('fill-mask', 'tiny-mlm', { device: 'cpu' });
    const got = (await fill('the weather was [MASK].')) as { token_str: string; score: number; sequence: string }[];
    const want = mlmReference('the weather was [MASK].');
    expect(got.map((g) => g.token_str)).toEqual(want.map((w) => w.token_str));
    expect(got[0]!.sequence).toBe(`the weather was ${want[0]!.token_str}.`);
    expect(
      maxAbsDiff(
        got.map((g) => g.score),
        want.map((w) => w.score),
      ),
    ).toBeLessThan(1e-4);
  });

  it('automatic-speech-recognition (wav2vec2 CTC)', async () => {
    const asr = await pipeline('automatic-speech-recognition', 'tiny-asr', { device: 'cpu' });
    for (const text of ['hello world', 'all will listen']) {
      expect(await asr(speak(text))).toEqual({ text });
    }
  });

  it('image-classification (ViT layout, its own image processor)', async () => {
    const committed = JSON.parse(await readFile(VISION_REFERENCE, 'utf8')) as { logits: Record<string, number[]> };
    const classify = await pipeline('image-classification', 'tiny-vision', { device: 'cpu' });
    for (const name of SAMPLE_NAMES) {
      const image = new RawImage(sampleImage(name), SIDE, SIDE, 4);
      const got = (await classify(image, { top_k: 4 })) as { label: string; score: number }[];
      const want = referenceClassify(committed.logits[name]!);
      expect(got.map((g) => g.label)).toEqual(want.map((w) => w.label));
      expect(
        maxAbsDiff(
          got.map((g) => g.score),
          want.map((w) => w.score),
        ),
      ).toBeLessThan(1e-5);
    }
  });

  it('feature-extraction with mean pooling', async () => {
    const embed = await pipeline('feature-extraction', 'tiny-embed', { device: 'cpu' });
    const out = await embed('great film', { pooling: 'mean', normalize: true });
    expect(maxAbsDiff(out.data as Float32Array, embedReference('great film'))).toBeLessThan(1e-4);
  });

  it('text-generation: the greedy story depends on the cache', async () => {
    const generate = await pipeline('text-generation', 'tiny-lm', { device: 'cpu' });
    for (const prompt of ['Once upon a time there was a robot', 'Once upon a time there was a cat']) {
      const [out] = (await generate(prompt, { max_new_tokens: 32, do_sample: false })) as { generated_text: string }[];
      expect(out!.generated_text).toBe(prompt + referenceGenerate(prompt));
    }
    expect(referenceGenerate('Once upon a time there was a cat')).toBe(' that purred all day and napped at night.');
    // a runtime that drops the cache would write a different story
    expect(referenceGenerate('Once upon a time there was a cat', 32, false)).toBe(
      ' that slept all day and dreamed at night.',
    );
  });
});
