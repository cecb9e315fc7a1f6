// Airlock under the strictest Content Security Policy it supports: scripts, workers and requests
// from this origin only, no eval, no blob: or data: scripts, WebAssembly compilation allowed.
// The page and its worker get the policy; a classifier, a generating LM and a raw session run on
// the project's backend with no violation reported anywhere.
import { describe, expect, it } from 'vitest';
import { CIN, COUT, reference as convReference } from '../../scripts/fixtures/conv-probe.js';
import { referenceGenerate } from '../../scripts/fixtures/tiny-lm.js';
import { reference as sentimentReference } from '../../scripts/fixtures/tiny-sentiment.js';
import { STRICT_CSP } from '../../src/node/serve/headers.js';
import { useBrowser } from '../support/browser.js';
import { maxAbsDiff } from '../support/ort-reference.js';

const browser = useBrowser({ csp: STRICT_CSP });

describe(`a strict Content Security Policy (${browser.mode})`, () => {
  it('runs a classifier, an LM and a raw session with no violation', async () => {
    const { page, errors } = await browser.open();
    const console: string[] = [];
    page.on('console', (m) => console.push(m.text()));
    page.on('worker', (w) => w.on('console', (m) => console.push(`worker: ${m.text()}`)));
    const prompt = 'Once upon a time there was a robot';
    const length = 5;
    const x = Array.from({ length: CIN }, (_, c) => Array.from({ length }, (_, t) => Math.cos(c * 0.9 + t * 0.4)));
    const got = await page.evaluate(
      async ({ prompt, flat, dims }) => {
        const violations: string[] = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          violations.push(`${e.violatedDirective} ${e.blockedURI}`),
        );
        const ai = window.airlock.createRuntime();
        const classify = await ai.pipeline('text-classification', 'tiny-sentiment');
        const generate = await ai.pipeline('text-generation', 'tiny-lm');
        const conv = await ai.session('conv-probe');
        const out = {
          policy: (await fetch(location.href)).headers.get('content-security-policy'),
          label: ((await classify('great film')) as { label: string }[])[0]!.label,
          story: ((await generate(prompt)) as { generated_text: string }[])[0]!.generated_text,
          conv: Array.from(
            (await conv.run({ x: { type: 'float32', data: Float32Array.from(flat), dims } })).y!.data as Float32Array,
          ),
          backends: [classify.backend, generate.backend, conv.backend],
          info: await ai.info(),
          violations,
        };
        await ai.dispose();
        return out;
      },
      { prompt, flat: x.flat(), dims: [1, CIN, length] },
    );
    expect(got.policy).toBe(STRICT_CSP);
    expect(got.label).toBe(sentimentReference('great film')[0]!.label);
    expect(got.story).toBe(prompt + referenceGenerate(prompt));
    expect(maxAbsDiff(got.conv, convReference(x).flat())).toBeLessThan(1e-4);
    expect(got.conv).toHaveLength(COUT * length);
    expect(got.backends).toEqual([browser.expectedBackend, browser.expectedBackend, browser.expectedBackend]);
    // threads still work under the policy (the page is cross-origin isolated)
    expect(got.info.crossOriginIsolated).toBe(true);
    expect(got.violations).toEqual([]);
    expect(console.filter((m) => /Content Security Policy|Refused to/i.test(m))).toEqual([]);
    expect(errors).toEqual([]);
  });
});
