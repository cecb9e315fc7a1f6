import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AirlockError } from '../../src/errors.js';
import { computeRevision, DEFAULT_MANIFEST_LIMITS, validateManifest, type Manifest } from '../../src/manifest/index.js';
import { fetchManifest } from '../../src/worker/model-source.js';
import { MODELS_DIR } from '../support/paths.js';

const hash = (c: string) => c.repeat(64);
function manifest(files = [{ path: 'onnx/model.onnx', size: 10, sha256: hash('a') }]): Manifest {
  return { schema: 1, id: 'm', task: 'raw', revision: computeRevision(files), source: 's', license: 'MIT', files };
}
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof AirlockError ? `${e.code}: ${e.message}` : `other: ${String(e)}`;
  }
  return undefined;
}

describe('manifest validation', () => {
  it('accepts every manifest in models/', async () => {
    const ids = (await readdir(MODELS_DIR, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    expect(ids).toEqual(expect.arrayContaining(['tiny-sentiment', 'tiny-lm', 'tiny-embed', 'silero-vad', 'paddleocr-v4']));
    for (const id of ids) {
      const raw = JSON.parse(await readFile(join(MODELS_DIR, id, 'manifest.json'), 'utf8'));
      expect(validateManifest(raw, id).files.length).toBeGreaterThan(0);
    }
  });

  it('returns a clean copy of a good manifest', () => {
    const m = manifest();
    expect(validateManifest({ ...m, extra: 1 }, 'm')).toEqual(m);
  });

  const bad: [string, (m: Manifest) => unknown, string][] = [
    ['not an object', () => 'x', 'not a JSON object'],
    ['another schema', (m) => ({ ...m, schema: 2 }), 'schema must be the number 1'],
    ['another id', (m) => ({ ...m, id: 'other' }), 'id is "other"'],
    ['no license', (m) => ({ ...m, license: '' }), 'license must be'],
    ['no files', (m) => ({ ...m, files: [] }), 'non-empty array'],
    ['a revision that does not match', (m) => ({ ...m, revision: hash('0') }), 'revision does not match'],
  ];
  for (const [what, edit, message] of bad) {
    it(`refuses ${what}`, () => {
      expect(codeOf(() => validateManifest(edit(manifest()), 'm'))).toMatch(new RegExp(`^MANIFEST_INVALID: .*${message}`));
    });
  }

  const badFiles: [string, object, string][] = [
    ['a parent path', { path: '../secret', size: 1, sha256: hash('a') }, 'contains \\.\\.'],
    ['an absolute path', { path: '/etc/passwd', size: 1, sha256: hash('a') }, 'is absolute'],
    ['a drive letter', { path: 'C:/models/x.onnx', size: 1, sha256: hash('a') }, 'drive letter'],
    ['a colon', { path: 'model.onnx:v2', size: 1, sha256: hash('a') }, 'scheme'],
    ['a backslash', { path: 'onnx\\model.onnx', size: 1, sha256: hash('a') }, 'backslash'],
    ['a dot segment', { path: 'onnx/./model.onnx', size: 1, sha256: hash('a') }, 'not normalized'],
    // a server never serves these (a model cloned with git carries .git/config), so no manifest names one
    ['a hidden file', { path: '.env', size: 1, sha256: hash('a') }, 'hidden name'],
    ['a hidden folder', { path: 'm/.git/config', size: 1, sha256: hash('a') }, 'hidden name'],
    ['a query', { path: 'model.onnx?x=1', size: 1, sha256: hash('a') }, 'control character, \\? # or %'],
    ['a negative size', { path: 'a', size: -1, sha256: hash('a') }, 'non-negative integer'],
    ['a fractional size', { path: 'a', size: 1.5, sha256: hash('a') }, 'non-negative integer'],
    ['an uppercase hash', { path: 'a', size: 1, sha256: hash('A') }, '64 lowercase hex'],
    ['a short hash', { path: 'a', size: 1, sha256: 'abc' }, '64 lowercase hex'],
  ];
  for (const [what, file, message] of badFiles) {
    it(`refuses a file with ${what}`, () => {
      const files = [file as Manifest['files'][number]];
      const raw = { ...manifest(), files, revision: computeRevision(files) };
      expect(codeOf(() => validateManifest(raw, 'm'))).toMatch(new RegExp(`^MANIFEST_INVALID: .*${message}`));
    });
  }

  for (const path of ['https://elsewhere.example/x.onnx', '//elsewhere.example/x.onnx', 'HTTP://elsewhere.example/x', 'blob:https://x/1', '\\\\share\\x.onnx']) {
    it(`refuses a file at another location (${path}) with EGRESS_BLOCKED`, () => {
      const files = [{ path, size: 1, sha256: hash('a') }];
      expect(codeOf(() => validateManifest({ ...manifest(), files, revision: computeRevision(files) }, 'm'))).toMatch(/^EGRESS_BLOCKED: .*another location/);
    });
  }

  it('refuses a path listed twice', () => {
    const f = { path: 'a', size: 1, sha256: hash('a') };
    const raw = { ...manifest(), files: [f, f], revision: computeRevision([f, f]) };
    expect(codeOf(() => validateManifest(raw, 'm'))).toMatch(/listed twice/);
  });

  it('refuses a model id that is not one path segment', () => {
    expect(codeOf(() => validateManifest({ ...manifest(), id: '../m' }, '../m'))).toMatch(/^MANIFEST_INVALID: .*id must be/);
  });
});

describe('revision', () => {
  it('ignores file order and changes with any byte of the list', () => {
    const a = { path: 'a', size: 1, sha256: hash('1') };
    const b = { path: 'b', size: 2, sha256: hash('2') };
    expect(computeRevision([a, b])).toBe(computeRevision([b, a]));
    expect(computeRevision([a, b])).not.toBe(computeRevision([a, { ...b, size: 3 }]));
    expect(computeRevision([a, b])).not.toBe(computeRevision([a, { ...b, sha256: hash('3') }]));
    expect(computeRevision([a])).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('manifest messages', () => {
  it('says a schema written as a string is a string, not a number', () => {
    const got = codeOf(() => validateManifest({ ...manifest(), schema: '1' }, 'm'));
    expect(got).toMatch(/^MANIFEST_INVALID: .*schema must be the number 1, got the string "1"$/);
    expect(codeOf(() => validateManifest({ ...manifest(), schema: 2 }, 'm'))).toMatch(/schema must be the number 1, got the number 2$/);
  });
});

describe('one hash, one size', () => {
  it('refuses a manifest that gives one sha256 two sizes, naming both paths', () => {
    const files = [
      { path: 'a.onnx', size: 10, sha256: hash('a') },
      { path: 'b.onnx', size: 11, sha256: hash('a') },
    ];
    let error: AirlockError | undefined;
    try {
      validateManifest({ ...manifest(), files, revision: computeRevision(files) }, 'm');
    } catch (e) {
      error = e as AirlockError;
    }
    expect(error?.code).toBe('MANIFEST_INVALID');
    expect(error?.message).toMatch(/"a\.onnx" \(10 bytes\) and "b\.onnx" \(11 bytes\)/);
    expect(error?.details).toMatchObject({ modelId: 'm', sha256: hash('a'), paths: ['a.onnx', 'b.onnx'], sizes: [10, 11] });
  });

  it('accepts one sha256 listed twice with the same size (two names for one content)', () => {
    const files = [
      { path: 'a.onnx', size: 10, sha256: hash('a') },
      { path: 'b.onnx', size: 10, sha256: hash('a') },
    ];
    expect(validateManifest({ ...manifest(), files, revision: computeRevision(files) }, 'm').files).toEqual(files);
  });
});

/** The MANIFEST_INVALID error for a manifest of these paths, or a note that it passed. */
function refusal(paths: string[]): { code: string; message: string; details: Record<string, unknown> | undefined } | 'accepted' {
  const files = paths.map((path, i) => ({ path, size: 1, sha256: hash(i.toString(16)) }));
  try {
    validateManifest({ ...manifest(), files, revision: computeRevision(files) }, 'm');
    return 'accepted';
  } catch (e) {
    const err = e as AirlockError;
    return { code: err.code, message: err.message, details: err.details };
  }
}

describe('lookalike paths', () => {
  // each path could show in the audit or a UI as something it is not; the message shows it escaped
  const lookalikes: [string, string, string, RegExp][] = [
    ['a bidirectional override', 'onnx/model\u202Exnno.txt', 'onnx/model\\u{202E}xnno.txt', /format or control character U\+202E/],
    ['a bidirectional isolate', 'onnx/\u2066model.onnx', 'onnx/\\u{2066}model.onnx', /U\+2066/],
    ['a right-to-left mark', 'onnx/\u200Fmodel.onnx', 'onnx/\\u{200F}model.onnx', /U\+200F/],
    ['a zero-width space', 'onnx/mo\u200Bdel.onnx', 'onnx/mo\\u{200B}del.onnx', /U\+200B/],
    ['a zero-width joiner', 'onnx/mo\u200Ddel.onnx', 'onnx/mo\\u{200D}del.onnx', /U\+200D/],
    ['a word joiner', 'onnx/mo\u2060del.onnx', 'onnx/mo\\u{2060}del.onnx', /U\+2060/],
    ['a byte order mark', '\uFEFFconfig.json', '\\u{FEFF}config.json', /U\+FEFF/],
    ['a soft hyphen', 'con\u00ADfig.json', 'con\\u{AD}fig.json', /U\+00AD/],
    ['a variation selector', 'config\uFE0F.json', 'config\\u{FE0F}.json', /U\+FE0F/],
    ['a Hangul filler', 'config\u3164.json', 'config\\u{3164}.json', /U\+3164/],
    ['a C1 control', 'con\u0085fig.json', 'con\\u{85}fig.json', /U\+0085/],
    ['a C1 control (CSI)', 'con\u009Bfig.json', 'con\\u{9B}fig.json', /U\+009B/],
    ['DEL', 'config\u007F.json', 'config\\u{7F}.json', /U\+007F/],
    ['a line separator', 'config\u2028.json', 'config\\u{2028}.json', /U\+2028/],
    ['a paragraph separator', 'config\u2029.json', 'config\\u{2029}.json', /U\+2029/],
    ['a no-break space', 'model\u00A0.onnx', 'model\\u{A0}.onnx', /U\+00A0/],
    ['an ideographic space', 'model\u3000.onnx', 'model\\u{3000}.onnx', /U\+3000/],
    ['a lone surrogate', 'model\uD800.onnx', 'model\\u{D800}.onnx', /U\+D800/],
    ['a private-use character', 'model\uE000.onnx', 'model\\u{E000}.onnx', /U\+E000/],
    ['a decomposed (NFD) letter', 'cafe\u0301.json', 'cafe\\u{301}.json', /is not in Unicode NFC form/],
    ['a trailing dot', 'onnx/model.onnx.', 'onnx/model.onnx.', /ends in a dot or space/],
    ['a trailing space', 'onnx/model.onnx ', 'onnx/model.onnx ', /ends in a dot or space/],
    ['a folder with a trailing dot', 'onnx./model.onnx', 'onnx./model.onnx', /ends in a dot or space/],
    ['a folder with a trailing space', 'onnx /model.onnx', 'onnx /model.onnx', /ends in a dot or space/],
    ['a leading space', ' model.onnx', ' model.onnx', /starts with a space/],
  ];
  for (const [what, path, shown, why] of lookalikes) {
    it(`refuses a path with ${what}, showing it escaped`, () => {
      const got = refusal(['config.json', path]);
      expect(got).not.toBe('accepted');
      if (got === 'accepted') return;
      expect(got.code).toBe('MANIFEST_INVALID');
      expect(got.message).toContain(`path "${shown}"`);
      expect(got.message).toMatch(why);
      expect(got.details).toMatchObject({ modelId: 'm', path });
    });
  }

  it('refuses NFC/NFD twins: the decomposed one is not NFC', () => {
    const got = refusal(['caf\u00E9.json', 'cafe\u0301.json']);
    expect(got).toMatchObject({ code: 'MANIFEST_INVALID', details: { path: 'cafe\u0301.json' } });
  });

  const twins: [string, string, string][] = [
    ['letter case', 'onnx/Model.onnx', 'onnx/model.onnx'],
    ['folder case', 'ONNX/model.onnx', 'onnx/model.onnx'],
    ['a sharp s', 'stra\u00DFe.json', 'STRASSE.json'],
    ['a final sigma', '\u03C2.json', '\u03C3.json'],
    ['a full-width letter', '\uFF4Dodel.onnx', 'model.onnx'],
  ];
  for (const [what, a, b] of twins) {
    it(`refuses case twins in one manifest (${what}), naming both`, () => {
      const got = refusal([a, b]);
      expect(got).not.toBe('accepted');
      if (got === 'accepted') return;
      expect(got.code).toBe('MANIFEST_INVALID');
      expect(got.message).toMatch(/differ only in case/);
      expect(got.details).toMatchObject({ modelId: 'm', paths: [a, b] });
    });
  }

  it('accepts ordinary non-ASCII names in NFC, and spaces and dots inside a name', () => {
    expect(refusal(['mod\u00E8le/caf\u00E9.json', '\u6A21\u578B/model.onnx', 'notes/read me.v2.txt'])).toBe('accepted');
  });
});

describe('manifest caps', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `f${i}`, size: 1, sha256: hash('a') }));

  it('refuses more files than the cap before looking at them (default 10 000)', () => {
    expect(DEFAULT_MANIFEST_LIMITS).toEqual({ maxFiles: 10_000, maxBytes: 4 * 2 ** 20 });
    const files = many(10_001);
    // the revision is not even computed: the count is checked first
    const raw = { ...manifest(), files, revision: hash('0') };
    let error: AirlockError | undefined;
    try {
      validateManifest(raw, 'm');
    } catch (e) {
      error = e as AirlockError;
    }
    expect(error?.code).toBe('MANIFEST_INVALID');
    expect(error?.message).toMatch(/lists 10001 files, more than the 10000 allowed/);
    expect(error?.details).toMatchObject({ modelId: 'm', files: 10_001, maxFiles: 10_000 });
    expect(validateManifest({ ...manifest(), files: many(10_000), revision: computeRevision(many(10_000)) }, 'm').files).toHaveLength(10_000);
    expect(codeOf(() => validateManifest({ ...manifest(), files: many(3), revision: computeRevision(many(3)) }, 'm', { maxFiles: 2 }))).toMatch(/lists 3 files, more than the 2 allowed/);
  });

  /** A manifest response of `bytes`, with or without Content-Length; counts what was pulled from it. */
  function response(bytes: Uint8Array, withLength: boolean) {
    const pulled = { bytes: 0 };
    let at = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (at >= bytes.length) return c.close();
        const piece = bytes.subarray(at, at + 65536);
        at += piece.length;
        pulled.bytes += piece.length;
        c.enqueue(piece);
      },
    });
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (withLength) headers['Content-Length'] = String(bytes.length);
    return { res: new Response(body, { headers }), pulled };
  }

  for (const withLength of [true, false]) {
    it(`refuses a manifest body over the byte cap before parsing it (${withLength ? 'declared' : 'streamed'})`, async () => {
      const files = many(40_000);
      const text = JSON.stringify({ ...manifest(), files, revision: computeRevision(files) });
      const bytes = new TextEncoder().encode(text);
      expect(bytes.length).toBeGreaterThan(1_000_000);
      const { res, pulled } = response(bytes, withLength);
      const limits = { maxFiles: 100_000, maxBytes: 1_000_000 };
      let error: AirlockError | undefined;
      try {
        await fetchManifest({ fetch: async () => res, modelBase: 'http://127.0.0.1/models/', limits }, 'm');
      } catch (e) {
        error = e as AirlockError;
      }
      expect(error?.code).toBe('MANIFEST_INVALID');
      expect(error?.message).toMatch(/more than the 1000000 bytes allowed/);
      expect(error?.details).toMatchObject({ modelId: 'm', maxBytes: 1_000_000, url: 'http://127.0.0.1/models/m/manifest.json' });
      // a declared length is refused unread; a streamed body is read only up to the cap
      if (withLength) expect(pulled.bytes).toBeLessThanOrEqual(65536 * 2);
      else expect(pulled.bytes).toBeLessThanOrEqual(1_000_000 + 65536 * 2);
    });
  }

  it('reads a manifest under the byte cap as before', async () => {
    const m = manifest();
    const { res } = response(new TextEncoder().encode(JSON.stringify(m)), false);
    expect(await fetchManifest({ fetch: async () => res, modelBase: 'http://127.0.0.1/models/' }, 'm')).toEqual(m);
  });
});
