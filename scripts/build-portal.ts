// Builds the portal example (every page of examples/portal) into `out`, with the sample scans and
// recordings of test/fixtures as files of the build, and writes the model origin's index.json
// with the library's own writer (`airlock index`), which the landing page lists.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { writeIndex } from '../src/node/models-index.js';
import { buildApp } from './build-app.js';

const ROOT = resolve(import.meta.dirname, '..');

export const OCR_SAMPLES = ['receipt.png', 'label.png', 'form.png', 'paragraph.png', 'rotated.png', 'scan.png'];
export const SPEECH_SAMPLES = ['speech-16k.wav', 'speech-48k.wav'];

/** Emits `samples/ocr/<name>` and `samples/speech/<name>` from test/fixtures into the build. */
export function samplesPlugin(ocr: string[], speech: string[] = []): Plugin {
  return {
    name: 'portal-samples',
    generateBundle() {
      for (const [kind, names] of [
        ['ocr', ocr],
        ['speech', speech],
      ] as const)
        for (const name of names)
          this.emitFile({
            type: 'asset',
            fileName: `samples/${kind}/${name}`,
            source: readFileSync(resolve(ROOT, 'test/fixtures', kind, name)),
          });
    },
  };
}

export async function buildPortal(out: string, modelsDir = resolve(ROOT, 'models')): Promise<void> {
  await writeIndex(modelsDir);
  await buildApp(resolve(ROOT, 'examples/portal'), out, { plugins: [samplesPlugin(OCR_SAMPLES, SPEECH_SAMPLES)] });
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  await buildPortal(resolve(process.argv[2] ?? resolve(ROOT, 'examples/.build/portal')));
}
