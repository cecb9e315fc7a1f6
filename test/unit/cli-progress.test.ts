// The pull's progress: a bar in bytes with rate and time left on a terminal, plain lines otherwise.
import { describe, expect, it } from 'vitest';
import type { Output } from '../../src/cli/output.js';
import { progressBar } from '../../src/cli/progress.js';

function fakeOutput(tty: boolean) {
  const drawn: string[] = [];
  const notes: string[] = [];
  const out: Output = {
    json: false,
    tty,
    say: () => undefined,
    note: (l) => notes.push(l),
    draw: (t) => drawn.push(t),
  };
  return { out, drawn, notes };
}

describe('progress', () => {
  it('redraws one line on a terminal: bytes done of total, rate, time left', () => {
    let now = 0;
    const { out, drawn } = fakeOutput(true);
    const bar = progressBar(out, () => now);
    bar.start(4_000_000, 2);
    now = 1000;
    bar.bytes(1_000_000); // 1 MB in 1 s: 3 MB left at 1 MB/s
    expect(drawn.at(-1)).toBe(`\r[######------------------] 1.00 MB / 4.00 MB  1.00 MB/s  3s left\x1b[K`);
    now = 1050;
    bar.bytes(10); // within 100 ms of the last draw: not redrawn
    expect(drawn).toHaveLength(1);
    bar.end();
    expect(drawn.at(-1)).toBe('\r\x1b[K');
  });

  it('writes a plain line per file when not on a terminal', () => {
    const { out, drawn, notes } = fakeOutput(false);
    const bar = progressBar(out);
    bar.start(3000, 3);
    bar.bytes(2000);
    bar.file('onnx/model.onnx', 2000, 'hub', false);
    bar.file('onnx/model_fp16.onnx_data', 500, 'hub', true);
    bar.file('config.json', 500, 'local', false);
    bar.end();
    expect(drawn).toEqual([]);
    expect(notes).toEqual([
      '3 files, 3.00 kB',
      'downloaded onnx/model.onnx (2.00 kB)',
      'resumed    onnx/model_fp16.onnx_data (500 B)',
      'kept       config.json (500 B)',
    ]);
  });
});
