// `airlock policy init` and `airlock policy check`, run as the real command on copies of models/.
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePolicy } from '../../src/shared/trust/policy.js';
import { MODELS_DIR } from '../support/paths.js';
import { runCli } from '../support/run-cli.js';

const IDS = ['tiny-lm', 'tiny-sentiment'];
let dir: string;
let models: string;

const manifestOf = (id: string) =>
  JSON.parse(readFileSync(join(MODELS_DIR, id, 'manifest.json'), 'utf8')) as {
    revision: string;
    files: { size: number }[];
  };
const sizeOf = (id: string) => manifestOf(id).files.reduce((n, f) => n + f.size, 0);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'airlock-policy-'));
  models = join(dir, 'models');
  for (const id of IDS) cpSync(join(MODELS_DIR, id), join(models, id), { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function init(): Promise<Record<string, unknown>> {
  const out = join(dir, 'policy.json');
  const run = await runCli(['policy', 'init', models, '--out', out, '--origin', 'https://models.intranet.example']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
}

describe('airlock policy init', () => {
  it('pins every model at its manifest revision, both backends, the largest model rounded up to a MiB, 90 days', async () => {
    const before = Date.now();
    const policy = await init();
    expect(parsePolicy(policy)).toEqual(policy);
    const largest = Math.max(...IDS.map(sizeOf));
    expect(policy).toEqual({
      kind: 'airlock-policy/1',
      allowedOrigins: ['https://models.intranet.example'],
      models: IDS.map((id) => ({ id, revisions: [manifestOf(id).revision] })),
      backends: ['wasm', 'webgpu'],
      maxModelBytes: Math.ceil(largest / 2 ** 20) * 2 ** 20,
      evidenceRetentionDays: 90,
      issuedAt: policy.issuedAt,
    });
    expect(Date.parse(policy.issuedAt as string)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('refuses an --origin that is not an origin, with exit 2', async () => {
    const run = await runCli(['policy', 'init', models, '--origin', 'https://x.example/models/', '--json']);
    expect(run.code).toBe(2);
    expect(run.json?.error?.code).toBe('BAD_USAGE');
  });
});

describe('airlock policy check', () => {
  it('passes the tree it was written from, then lists a model left out, a revision not pinned and a size over the limit', async () => {
    const policy = await init();
    const file = join(dir, 'policy.json');
    const ok = await runCli(['policy', 'check', models, '--policy', file, '--json']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.json).toEqual({ ok: true, outside: [] });
    const pinned = 'f'.repeat(64);
    const narrowed = {
      ...policy,
      models: [{ id: 'tiny-lm', revisions: [pinned] }],
      maxModelBytes: sizeOf('tiny-sentiment') - 1,
    };
    expect(sizeOf('tiny-lm')).toBeGreaterThan(narrowed.maxModelBytes);
    writeFileSync(file, JSON.stringify(narrowed));
    const bad = await runCli(['policy', 'check', models, '--policy', file, '--json']);
    expect(bad.code).toBe(1);
    expect(bad.json?.error).toMatchObject({
      code: 'VERIFICATION_FAILED',
      outside: [
        // tiny-lm (16 399 bytes) is over the limit too
        { rule: 'maxModelBytes', subject: 'tiny-lm', value: sizeOf('tiny-lm') },
        { rule: 'revisions', subject: 'tiny-lm', value: manifestOf('tiny-lm').revision },
        { rule: 'maxModelBytes', subject: 'tiny-sentiment', value: sizeOf('tiny-sentiment') },
        { rule: 'models', subject: 'tiny-sentiment', value: manifestOf('tiny-sentiment').revision },
      ],
    });
  });

  it("lists the origins a built app's scripts name that the policy does not allow, not XML namespaces", async () => {
    await init();
    const app = join(dir, 'app');
    mkdirSync(join(app, 'assets'), { recursive: true });
    writeFileSync(
      join(app, 'assets', 'index.js'),
      'fetch("https://models.intranet.example/models/x");const s="http://www.w3.org/2000/svg";import("https://cdn.example.net:8443/lib.mjs");',
    );
    writeFileSync(join(app, 'assets', 'worker.mjs'), 'const host = `https://cdn.example.net:8443`;');
    writeFileSync(join(app, 'index.html'), '<script src="https://not-a-script.example/x.js"></script>');
    const run = await runCli(['policy', 'check', models, '--policy', join(dir, 'policy.json'), '--app', app, '--json']);
    expect(run.code).toBe(1);
    expect(run.json?.error).toMatchObject({
      outside: [
        {
          rule: 'allowedOrigins',
          subject: 'https://cdn.example.net:8443',
          value: ['assets/index.js', 'assets/worker.mjs'],
        },
      ],
    });
    const human = await runCli(['policy', 'check', models, '--policy', join(dir, 'policy.json'), '--app', app]);
    expect(human.stdout).toContain('origin https://cdn.example.net:8443 is not allowed');
  });

  it('refuses a policy that does not parse, naming the field, with exit 2', async () => {
    const file = join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ ...(await init()), backends: ['cuda'] }));
    const run = await runCli(['policy', 'check', models, '--policy', file, '--json']);
    expect(run.code).toBe(2);
    expect(run.json?.error).toMatchObject({ code: 'BAD_USAGE', field: 'backends[0]' });
  });
});
