// Starts test/support/serve-child.ts and tells whether that process is still running.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { ROOT } from './paths.js';

export interface ChildServer {
  origin: string;
  /** null while it runs; its exit code or signal once it has ended */
  exited(): string | null;
  /** what it wrote on stderr */
  stderr(): string;
  stop(): Promise<void>;
}

export function startChildServer(modelsDir: string): Promise<ChildServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(ROOT, 'test/support/serve-child.ts'), modelsDir],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let errors = '';
  let ended: string | null = null;
  child.stderr!.on('data', (c: Buffer) => (errors += c.toString()));
  child.on('exit', (code, signal) => (ended = `exit ${code ?? signal}`));
  return new Promise((done, fail) => {
    child.stdout!.once('data', (c: Buffer) =>
      done({
        origin: c.toString().trim(),
        exited: () => ended,
        stderr: () => errors,
        stop: () => new Promise((stopped) => (ended ? stopped() : (child.once('exit', () => stopped()), child.kill()))),
      }),
    );
    child.once('exit', (code) => fail(new Error(`server process ended (${code}) before listening: ${errors}`)));
  });
}
