// Runs the real `airlock` command (src/cli/bin.ts through tsx) as a child process.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ROOT } from './paths.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  json?: { ok: boolean; error?: { code: string; exit: number; message: string } } & Record<string, unknown>;
}

export const CLI = ['--import', 'tsx', join(ROOT, 'src/cli/bin.ts')];

export function runCli(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; shell?: string } = {},
): Promise<CliRun> {
  const env = { ...process.env, HF_TOKEN: undefined, HF_ENDPOINT: undefined, ...options.env } as NodeJS.ProcessEnv;
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const [cmd, argv] = options.shell
    ? ['sh', ['-c', options.shell, 'sh', process.execPath, ...CLI, ...args]]
    : [process.execPath, [...CLI, ...args]];
  return new Promise((done) => {
    execFile(cmd, argv, { cwd: options.cwd ?? ROOT, env, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      let json: CliRun['json'];
      if (args.includes('--json'))
        try {
          json = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as CliRun['json'];
        } catch {
          /* not JSON: the test says so */
        }
      done({ code, stdout, stderr, json });
    });
  });
}

/** Every file under `dir` (dotfiles too) with its SHA-256: a tree to compare before and after. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  let entries;
  try {
    entries = readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const full = join(e.parentPath, e.name);
    const rel = relative(dir, full).split(sep).join('/');
    out[rel] = statSync(full).isDirectory() ? 'dir' : createHash('sha256').update(readFileSync(full)).digest('hex');
  }
  return out;
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
