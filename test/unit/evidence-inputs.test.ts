// The evidence command's inputs: a malformed or unreadable file is a clear error naming the file
// and the line; the advisories file's version ranges match as semantic versions.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/node/errors.js';
import { readAccessLog } from '../../src/node/evidence/access-log-input.js';
import { readAuditSource } from '../../src/node/evidence/audit-input.js';
import { readPolicy } from '../../src/node/evidence/policy-input.js';
import { compareVersions, inRange } from '../../src/node/evidence/version-range.js';
import { ROOT } from '../support/paths.js';

const F = join(ROOT, 'test/fixtures/evidence');
const dir = mkdtempSync(join(tmpdir(), 'airlock-evidence-inputs-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

async function failure(p: Promise<unknown>): Promise<CliError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CliError);
  return e as CliError;
}

describe('malformed evidence inputs', () => {
  it('an export that is not JSON: INPUT_INVALID naming the file and the line', async () => {
    const f = file('export.json', '{\n  "schema": "airlock-evidence/1",\n  "requests": oops\n}\n');
    const e = await failure(readAuditSource(f));
    expect([e.code, e.exit, e.details]).toEqual(['INPUT_INVALID', 2, { file: f, line: 3, option: '--audit' }]);
    expect(e.message.startsWith(`${f}:3: not valid JSON`)).toBe(true);
  });

  it('a JSON document that is not an evidence export', async () => {
    const f = file('other.json', '{"schema":"something-else/1"}');
    const e = await failure(readAuditSource(f));
    expect([e.code, e.details.line]).toEqual(['INPUT_INVALID', 1]);
    expect(e.message).toContain('airlock-evidence/1');
  });

  it('a collector log with a broken second line names line 2', async () => {
    const good = readFileSync(join(F, 'collector.jsonl'), 'utf8').trim();
    const f = file('collector.jsonl', `${good}\n{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{}}]}]}]}\n`);
    const e = await failure(readAuditSource(f));
    expect([e.code, e.details]).toEqual(['INPUT_INVALID', { file: f, line: 2, option: '--audit' }]);
    expect(e.message).toContain('body.stringValue');
  });

  it('an access log line in neither format names its line', async () => {
    const good = readFileSync(join(F, 'access-nginx.log'), 'utf8').trim().split('\n');
    const f = file('access.log', `${good[0]}\n${good[1]}\nGET /models/x 200\n`);
    const e = await failure(readAccessLog(f));
    expect([e.code, e.details]).toEqual(['INPUT_INVALID', { file: f, line: 3, option: '--access-log' }]);
  });

  it('a policy of another kind, and one without allowed origins', async () => {
    const other = await failure(readPolicy(file('p1.json', '{"kind":"something"}')));
    expect([other.code, other.details.option]).toEqual(['INPUT_INVALID', '--policy']);
    const policy = JSON.parse(readFileSync(join(F, 'policy.json'), 'utf8')) as Record<string, unknown>;
    const empty = await failure(readPolicy(file('p2.json', JSON.stringify({ ...policy, allowedOrigins: [] }))));
    expect(empty.message).toContain('"allowedOrigins"');
  });

  it('a file that cannot be read: LOCAL_IO naming the file and its option', async () => {
    const missing = join(dir, 'nowhere.json');
    const e = await failure(readAuditSource(missing));
    expect([e.code, e.exit, e.details.errno]).toEqual(['LOCAL_IO', 4, 'ENOENT']);
    expect(e.message).toContain(missing);
    expect(e.message).toContain('--audit');
  });

  it('reads nginx times with their offset as UTC', async () => {
    const f = file('tz.log', '10.1.2.3 - - [01/Dec/2026:12:30:00 +0130] "GET /models/a/b HTTP/1.1" 206 7 "-" "-"\n');
    const [entry] = await readAccessLog(f);
    expect(entry).toMatchObject({
      time: '2026-12-01T11:00:00.000Z',
      status: 206,
      bytes: 7,
      origin: null,
      userAgent: null,
    });
  });
});

describe('version ranges of the advisories file', () => {
  it('compares as semantic versions, a prerelease below its release', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1);
    expect(compareVersions('1.31.0-dev.20260914-8d85527a0', '1.31.0')).toBe(-1);
    expect(compareVersions('1.31.0-dev.2', '1.31.0-dev.10')).toBe(-1);
    expect(compareVersions('4.3.1', '4.3.1')).toBe(0);
  });

  it('matches comparator sets, alternatives and lists', () => {
    expect(inRange('4.3.1', '>=4.0.0 <4.3.2')).toBe(true);
    expect(inRange('4.3.2', '>=4.0.0 <4.3.2')).toBe(false);
    expect(inRange('1.20.0', '<1.0.0 || >= 1.20.0 <1.21.0')).toBe(true);
    expect(inRange('1.20.0', ['1.19.0', '1.20.1'])).toBe(false);
    expect(inRange('1.20.0', ['1.19.0', '1.20.0'])).toBe(true);
  });
});
