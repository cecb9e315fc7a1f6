// A cold session load hands the engine the bytes its download just verified, instead of reading
// them back from the store and hashing them again; a warm load reads and re-hashes as before.
import { describe, expect, it } from 'vitest';
import { CIN, reference as convReference } from '../../../scripts/fixtures/conv-probe.js';
import { useBrowser } from '../../support/browser.js';

const browser = useBrowser();

describe('cold session load', () => {
  it('verifies each file once as it downloads and hands it over; a warm load reads and re-hashes it', async () => {
    const { page } = await browser.open();
    const length = 4;
    const channels = Array.from({ length: CIN }, (_, c) => Array.from({ length }, (_, t) => Math.cos(c + t)));
    const got = await page.evaluate(
      async ({ x, dims }) => {
        const load = async () => {
          const ai = window.airlock.createRuntime({ cache: { name: 'handover' } });
          const conv = await ai.session('conv-probe');
          const y = Array.from(
            (await conv.run({ x: { type: 'float32', data: Float32Array.from(x), dims } })).y!.data as Float32Array,
          );
          const { verifications, models } = await ai.audit.export();
          await ai.dispose();
          return {
            y,
            checks: verifications.events.map((v) => [v.path, v.stage, v.ok]),
            source: models[0]!.files.map((f) => f.source),
          };
        };
        return { cold: await load(), warm: await load() };
      },
      { x: channels.flat(), dims: [1, CIN, length] },
    );
    const expected = convReference(channels).flat();
    for (const run of [got.cold, got.warm])
      expect(Math.max(...run.y.map((v, i) => Math.abs(v - expected[i]!)))).toBeLessThan(1e-4);
    expect(got.cold.source).toEqual(['network']);
    expect(got.cold.checks).toEqual([['onnx/model.onnx', 'download', true]]);
    expect(got.warm.source).toEqual(['store']);
    expect(got.warm.checks).toEqual([['onnx/model.onnx', 'read', true]]);
  });
});
