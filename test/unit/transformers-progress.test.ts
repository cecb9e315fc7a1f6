// Airlock's progress as transformers.js's progress_callback events (src/page/transformers-progress.ts):
// the order and fields transformers.js 4.3.1's utils/hub.js and core.js emit them in.
import { describe, expect, it } from 'vitest';
import type { LoadProgress } from '../../src/protocol/types.js';
import { transformersProgress, type TransformersProgressInfo } from '../../src/page/transformers-progress.js';

function replay(events: LoadProgress[], task = 'text-classification'): TransformersProgressInfo[] {
  const seen: TransformersProgressInfo[] = [];
  const onProgress = transformersProgress((info) => seen.push(info), task);
  for (const e of events) onProgress(e);
  return seen;
}

const name = 'acme/m';
const base = { modelId: name };

describe('transformersProgress', () => {
  it('maps a download to initiate, download, progress_total and progress per chunk, and done once verified; ready at the end', () => {
    const got = replay([
      { ...base, phase: 'manifest', loaded: 0, total: 0 },
      { ...base, phase: 'download', file: 'onnx/model.onnx', fileLoaded: 50, fileTotal: 200, loaded: 50, total: 300 },
      { ...base, phase: 'download', file: 'onnx/model.onnx', fileLoaded: 200, fileTotal: 200, loaded: 200, total: 300 },
      { ...base, phase: 'verify', file: 'onnx/model.onnx', fileLoaded: 200, fileTotal: 200, loaded: 200, total: 300 },
      { ...base, phase: 'compile', loaded: 300, total: 300 },
      { ...base, phase: 'ready', loaded: 300, total: 300 },
    ]);
    const file = 'onnx/model.onnx';
    expect(got).toEqual([
      { status: 'initiate', name, file },
      { status: 'download', name, file },
      {
        status: 'progress_total',
        name,
        progress: (50 / 300) * 100,
        loaded: 50,
        total: 300,
        files: { [file]: { loaded: 50, total: 200 } },
      },
      { status: 'progress', name, file, progress: 25, loaded: 50, total: 200 },
      {
        status: 'progress_total',
        name,
        progress: (200 / 300) * 100,
        loaded: 200,
        total: 300,
        files: { [file]: { loaded: 200, total: 200 } },
      },
      { status: 'progress', name, file, progress: 100, loaded: 200, total: 200 },
      { status: 'done', name, file },
      { status: 'ready', task: 'text-classification', model: name },
    ]);
  });

  it('a file already stored goes to 100% at once, then done; each progress_total lists the files seen so far', () => {
    const got = replay([
      { ...base, phase: 'verify', file: 'config.json', fileLoaded: 100, fileTotal: 100, loaded: 100, total: 300 },
      { ...base, phase: 'download', file: 'onnx/model.onnx', fileLoaded: 200, fileTotal: 200, loaded: 300, total: 300 },
      { ...base, phase: 'verify', file: 'onnx/model.onnx', fileLoaded: 200, fileTotal: 200, loaded: 300, total: 300 },
    ]);
    expect(got.map((e) => e.status)).toEqual([
      'initiate',
      'download',
      'progress_total',
      'progress',
      'done',
      'initiate',
      'download',
      'progress_total',
      'progress',
      'done',
    ]);
    expect(got[3]).toEqual({ status: 'progress', name, file: 'config.json', progress: 100, loaded: 100, total: 100 });
    expect(got[7]).toMatchObject({
      status: 'progress_total',
      progress: 100,
      files: { 'config.json': { loaded: 100, total: 100 }, 'onnx/model.onnx': { loaded: 200, total: 200 } },
    });
  });

  it('an empty file is complete: 100, not NaN', () => {
    const got = replay([
      { ...base, phase: 'verify', file: 'empty.txt', fileLoaded: 0, fileTotal: 0, loaded: 0, total: 0 },
    ]);
    expect(
      got
        .filter((e) => e.status === 'progress' || e.status === 'progress_total')
        .map((e) => (e as { progress: number }).progress),
    ).toEqual([100, 100]);
  });
});
