// The portal's speech page, used as a visitor would: a sample recording's segments against where
// its speech really is (test/fixtures/speech/truth.json), found while the audio is still being fed,
// and played back; the microphone refused (the message shown) and granted (Chromium's fake
// capture device playing the 16 kHz sample: segments appear while recording). Speech detection
// always runs on WASM (one small run per 32 ms frame; on SwiftShader, the tests' WebGPU adapter,
// it would also be 50-80× slower, FACTS.md), so this runs once, in browser-nogpu.
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { useBrowser } from '../support/browser.js';
import { chromiumArgs, chromiumPath } from '../support/chromium.js';
import { RequestRecorder } from '../support/egress.js';
import { PORTAL_BUILD } from '../support/paths.js';
import { screenshots } from '../support/portal.js';
import { expectCovers, SPEECH_DIR, speechTruth } from '../support/speech-samples.js';

const browser = useBrowser({ appDir: PORTAL_BUILD });

interface Listed {
  start: number;
  end: number;
  foundAt: number;
}

const listed = (page: Page): Promise<Listed[]> =>
  page.$$eval('#segments li', (lis) =>
    lis.map((li) => ({
      start: Number(li.dataset.start),
      end: Number(li.dataset.end),
      foundAt: Number(li.dataset.foundAt),
    })),
  );

// speech detection runs on WASM in either project: this file runs once, without a GPU (vitest.config.ts)
describe('portal speech page', () => {
  let fakeMic: Browser | undefined;
  afterAll(() => fakeMic?.close());

  it('lists the speech of the sample recordings as it is found, and plays a segment', async () => {
    const { page, errors } = await browser.open('/speech.html');
    expect(await page.textContent('#status')).toBe('ready · runs on WASM (CPU)');
    for (const name of ['speech-16k.wav', 'speech-48k.wav']) {
      const truth = speechTruth(name);
      await page.click(`#samples button[data-sample="${name}"]`);
      await page.waitForSelector('#vad-out[data-done]', { timeout: 60_000 });
      const segments = await listed(page);
      expectCovers(segments, truth.speech);
      // the first segment was listed once the detector had its end (and the redemption time
      // after it), before it had the whole recording
      expect(segments[0]!.foundAt).toBeGreaterThanOrEqual(segments[0]!.end);
      expect(segments[0]!.foundAt).toBeLessThan(truth.seconds);
      expect(await page.getAttribute('#wave', 'data-segments')).toBe(String(truth.speech.length));
      expect(await page.textContent('#vad-out')).toMatch(
        new RegExp(
          `^${truth.speech.length} segments? in ${truth.seconds.toFixed(1)} s of audio · \\d+ ms · on WASM \\(CPU\\)$`,
        ),
      );
      if (name === 'speech-16k.wav') await screenshots(page, 'portal-speech', browser.mode);
    }
    // playback of the first segment: it plays for about its length, then stops
    const first = (await listed(page))[0]!;
    const started = Date.now();
    await page.click('#segments li:first-child button');
    await page.waitForSelector('#segments li:first-child[data-playing]');
    await page.waitForSelector('#segments li:first-child:not([data-playing])', { timeout: 20_000 });
    expect((Date.now() - started) / 1000).toBeGreaterThanOrEqual((first.end - first.start) * 0.9);
    expect(errors).toEqual([]);
  });

  it('says so when the microphone is refused, and finds speech in a recording when it is granted', async () => {
    const { origin } = browser;
    // a browser of its own: the fake capture device plays the 16 kHz sample (in a loop) as the microphone
    fakeMic = await chromium.launch({
      executablePath: chromiumPath(),
      headless: true,
      args: [
        ...chromiumArgs('nogpu'),
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-audio-capture=${resolve(SPEECH_DIR, 'speech-16k.wav')}`,
      ],
    });
    const open = async (grant: boolean) => {
      const context = await fakeMic!.newContext();
      const recorder = new RequestRecorder(origin);
      await recorder.attach(context);
      if (grant) await context.grantPermissions(['microphone'], { origin });
      const page = await context.newPage();
      await page.goto(`${origin}/speech.html`);
      await page.waitForFunction(() => document.getElementById('status')?.textContent?.startsWith('ready'), null, {
        timeout: 90_000,
      });
      return { context, page, recorder };
    };

    const refused = await open(false);
    await refused.page.click('#record');
    await refused.page.waitForSelector('#mic-out[data-problem]');
    expect(await refused.page.getAttribute('#mic-out', 'data-problem')).toBe('NotAllowedError');
    expect(await refused.page.textContent('#mic-out')).toBe(
      'Microphone access was refused. Allow it for this site in the browser, then try again.',
    );
    expect(await refused.page.isEnabled('#record')).toBe(true);
    expect(refused.recorder.foreign()).toEqual([]);
    await refused.context.close();

    const granted = await open(true);
    await granted.page.click('#record');
    await granted.page.waitForSelector('#segments li', { timeout: 30_000 });
    await granted.page.click('#stop');
    await granted.page.waitForSelector('#vad-out[data-done]', { timeout: 30_000 });
    const segments = await listed(granted.page);
    // the sample's first sentence lasts 3.0 s: the segment found while recording holds it
    expect(segments.length).toBeGreaterThanOrEqual(1);
    expect(segments[0]!.end - segments[0]!.start).toBeGreaterThanOrEqual(3.0 - 0.2);
    expect(await granted.page.textContent('#mic-out')).toMatch(/^recorded \d+\.\d s$/);
    expect(await granted.page.isEnabled('#segments li:first-child button')).toBe(true);
    await screenshots(granted.page, 'portal-speech-microphone', 'nogpu');
    expect(granted.recorder.foreign()).toEqual([]);
    await granted.context.close();
  });
});
