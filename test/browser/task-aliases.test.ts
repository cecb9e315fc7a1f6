// transformers.js's task aliases (sentiment-analysis, ner, asr, embeddings, …) work wherever a
// task is named, in pipeline() and in a manifest; handles, info() and the audit give the
// canonical task.
import { describe, expect, it } from 'vitest';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { useBrowser } from '../support/browser.js';
import { switchable } from '../support/switchable.js';

const browser = useBrowser({ before: [switchable({ models: 'serve', ort: 'serve', worker: 'serve' })] });

describe(`task aliases (${browser.mode})`, () => {
  it('pipeline() takes an alias and reports the canonical task; a manifest may name its task by an alias', async () => {
    const { page } = await browser.open();
    const got = await page.evaluate(async () => {
      const label = async (handle: (input: string, options: object) => Promise<unknown>) =>
        ((await handle('great film', { top_k: 1 })) as { label: string }[])[0]!.label;
      const ai = window.airlock.createRuntime();
      const handles = await Promise.all([
        ai.pipeline('sentiment-analysis', 'tiny-sentiment'),
        ai.pipeline('ner', 'tiny-ner'),
        ai.pipeline('embeddings', 'tiny-embed'),
        ai.pipeline('asr', 'tiny-asr'),
      ]);
      const [classify] = handles;
      const tasks = handles.map((h) => h.task);
      const models = (await ai.info()).models.map((m) => [m.modelId, m.task]);
      const loads = ai.audit.events().flatMap((e) => (e.type === 'load' ? [[e.modelId, e.task]] : []));
      const classified = await label(classify);
      const wrong = await window.settle(ai.pipeline('ner', 'tiny-sentiment'));
      // manifests whose task is an alias (served under /switch/alias/), asked for by either name
      const aliased = window.airlock.createRuntime({ modelBase: '/switch/alias/' });
      const byCanonical = await aliased.pipeline('text-classification', 'tiny-sentiment');
      const byAlias = await aliased.pipeline('embeddings', 'tiny-embed');
      const fromManifest = {
        tasks: [byCanonical.task, byAlias.task],
        label: await label(byCanonical),
        models: (await aliased.info()).models.map((m) => [m.modelId, m.task]),
      };
      await ai.dispose();
      await aliased.dispose();
      return { tasks, models, loads, classified, wrong, fromManifest };
    });
    expect(got.tasks).toEqual([
      'text-classification',
      'token-classification',
      'feature-extraction',
      'automatic-speech-recognition',
    ]);
    const canonical = [
      ['tiny-asr', 'automatic-speech-recognition'],
      ['tiny-embed', 'feature-extraction'],
      ['tiny-ner', 'token-classification'],
      ['tiny-sentiment', 'text-classification'],
    ];
    expect([...got.models].sort()).toEqual(canonical);
    expect([...got.loads].sort()).toEqual(canonical);
    expect(got.classified).toBe(sentimentReference('great film')[0]!.label);
    expect(got.wrong).toMatchObject({
      ok: false,
      code: 'UNSUPPORTED_TASK',
      details: { modelId: 'tiny-sentiment', task: 'token-classification' },
    });
    expect(got.fromManifest).toEqual({
      tasks: ['text-classification', 'feature-extraction'],
      label: sentimentReference('great film')[0]!.label,
      models: [
        ['tiny-sentiment', 'text-classification'],
        ['tiny-embed', 'feature-extraction'],
      ],
    });
  });
});
