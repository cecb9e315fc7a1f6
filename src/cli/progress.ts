// Progress of a download in bytes, with rate and time left: a bar redrawn in place on a terminal,
// a plain line per file otherwise (CI logs).
import { formatBytes, type Output } from './output.js';

export interface Progress {
  start(totalBytes: number, files: number): void;
  /** bytes that arrived from the network */
  bytes(n: number): void;
  /** a file is complete; `bytes` already counted it unless it came from the local copy or, `reused`, an earlier run */
  file(path: string, size: number, from: 'hub' | 'local', resumed: boolean, reused?: boolean): void;
  end(): void;
}

const BAR = 24;
const REDRAW_MS = 100;

function duration(s: number): string {
  if (!Number.isFinite(s)) return '--';
  if (s < 60) return `${Math.ceil(s)}s`;
  return s < 3600
    ? `${Math.floor(s / 60)}m${String(Math.ceil(s % 60)).padStart(2, '0')}s`
    : `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function progressBar(out: Output, now: () => number = Date.now): Progress {
  let total = 0;
  let done = 0;
  let fromNetwork = 0;
  let started = 0;
  let lastDraw = 0;
  const draw = (force = false) => {
    if (!out.tty || (!force && now() - lastDraw < REDRAW_MS)) return;
    lastDraw = now();
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const rate = fromNetwork / seconds;
    const left = rate > 0 ? (total - done) / rate : Infinity;
    const filled = total > 0 ? Math.round((done / total) * BAR) : BAR;
    out.draw(
      `\r[${'#'.repeat(filled)}${'-'.repeat(BAR - filled)}] ${formatBytes(done)} / ${formatBytes(total)}  ${formatBytes(rate)}/s  ${duration(left)} left\x1b[K`,
    );
  };
  return {
    start(totalBytes, files) {
      total = totalBytes;
      started = now();
      out.note(`${files} files, ${formatBytes(totalBytes)}`);
    },
    bytes(n) {
      done += n;
      fromNetwork += n;
      draw();
    },
    file(path, size, from, resumed, reused = false) {
      if (from === 'local' || reused) done += size;
      if (out.tty) {
        draw(true);
        return;
      }
      const how = from === 'local' ? 'kept      ' : reused ? 'reused    ' : resumed ? 'resumed   ' : 'downloaded';
      out.note(`${how} ${path} (${formatBytes(size)}${reused ? ', from an earlier run' : ''})`);
    },
    end() {
      if (out.tty) out.draw('\r\x1b[K');
    },
  };
}
