// The worker's copies of engine facts that the page needs without loading the engines:
// transformers.js's task aliases and the runtime files of its onnxruntime-web build.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { WORKER_RUNTIME_FILES } from '../../src/node/ort-files.js';
import { RUNTIME_FILES } from '../../src/worker/engines/runtime-probe.js';
import { canonicalTask, TASK_ALIASES } from '../../src/protocol/tasks.js';

/** `TASK_ALIASES` as the installed transformers.js's browser build declares it (it does not export it). */
async function transformersAliases(): Promise<Record<string, string>> {
  const file = createRequire(import.meta.url)
    .resolve('@huggingface/transformers')
    .replace(/transformers\.node\.(mjs|cjs)$/, 'transformers.web.js');
  const source = await readFile(file, 'utf8');
  const body = /var TASK_ALIASES = Object\.freeze\(\{([^}]*)\}\)/.exec(source)?.[1];
  if (!body) throw new Error(`no TASK_ALIASES in ${file}`);
  const entries = body
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('//'))
    .map((line) => /^"?([\w-]+)"?\s*:\s*"([\w-]+)",?$/.exec(line))
    .map((m) => [m![1]!, m![2]!] as const);
  return Object.fromEntries(entries);
}

describe('engine facts the page keeps', () => {
  it("task aliases are transformers.js's, and canonicalTask maps them (other names unchanged)", async () => {
    expect(TASK_ALIASES).toEqual(await transformersAliases());
    expect(Object.keys(TASK_ALIASES).sort()).toEqual([
      'asr',
      'embeddings',
      'ner',
      'sentiment-analysis',
      'text-to-speech',
    ]);
    expect(
      ['sentiment-analysis', 'ner', 'asr', 'embeddings', 'text-to-speech', 'fill-mask', 'toString', '__proto__'].map(
        canonicalTask,
      ),
    ).toEqual([
      'text-classification',
      'token-classification',
      'automatic-speech-recognition',
      'feature-extraction',
      'text-to-audio',
      'fill-mask',
      'toString',
      '__proto__',
    ]);
  });

  it('the worker probes the runtime files that the server and the Vite plugin serve', () => {
    expect(RUNTIME_FILES).toEqual(WORKER_RUNTIME_FILES);
  });
});
