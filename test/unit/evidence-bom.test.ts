// bom.cdx.json against the official CycloneDX 1.6 JSON schema (strict), and what it holds: a
// machine-learning-model per model with every file's SHA-256, the libraries as npm purls, the
// runtime files hashed, and the "no egress" claim with the audit inputs as its evidence.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Spec, Validation } from '@cyclonedx/cyclonedx-library';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReport, type EvidenceInputs } from '../../src/node/evidence/build-report.js';
import { writeReport } from '../../src/node/evidence/write-report.js';
import { LIBRARY } from '../../src/version.js';
import { ROOT } from '../support/paths.js';

const F = join(ROOT, 'test/fixtures/evidence');
const INPUTS: EvidenceInputs = {
  tool: LIBRARY,
  models: join(F, 'models'),
  audit: [join(F, 'export.json'), join(F, 'collector.jsonl')],
  accessLogs: [join(F, 'access-airlock.log')],
  policy: join(F, 'policy.json'),
  releases: join(F, 'releases.json'),
  now: Date.parse('2026-12-01T00:00:00.000Z'),
};

interface Component {
  type: string;
  name: string;
  group?: string;
  version?: string;
  purl?: string;
  'bom-ref'?: string;
  hashes?: { alg: string; content: string }[];
  licenses?: unknown[];
  externalReferences?: { type: string; url: string }[];
  modelCard?: { modelParameters?: { task?: string }; properties?: { name: string; value: string }[] };
  components?: Component[];
}
interface Bom {
  specVersion: string;
  serialNumber: string;
  metadata: { timestamp: string; tools: { components: Component[] } };
  components: Component[];
  declarations: {
    claims: { predicate: string; evidence?: string[]; counterEvidence?: string[] }[];
    evidence: { 'bom-ref': string; data: { name: string; contents: { attachment: { content: string } } }[] }[];
  };
}

/** The official schema's verdict: null when valid, else the validator's errors. */
const validate = (json: string): Promise<unknown> =>
  new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(json);
const sha256 = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
let bom: Bom;
let text: string;

beforeAll(async () => {
  const out = mkdtempSync(join(tmpdir(), 'airlock-bom-'));
  // the real onnxruntime-web dist as the runtime folder: its files get hashed into the BOM
  await writeReport(out, await buildReport({ ...INPUTS, runtime: join(ROOT, 'node_modules/onnxruntime-web/dist') }));
  text = readFileSync(join(out, 'bom.cdx.json'), 'utf8');
  bom = JSON.parse(text) as Bom;
}, 60_000);

describe('bom.cdx.json', () => {
  it('validates against the CycloneDX 1.6 JSON schema (strict)', async () => {
    expect(await validate(text)).toBeNull();
    expect(bom.specVersion).toBe('1.6');
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bom.metadata.timestamp).toBe('2026-12-01T00:00:00.000Z');
    expect(bom.metadata.tools.components[0]).toMatchObject({ name: 'airlock', version: '0.1.0' });
  });

  it('the schema check can fail: a model file hash that is not hex is refused', async () => {
    const broken = JSON.parse(text) as Bom;
    broken.components[0]!.components![0]!.hashes![0]!.content = 'not-a-hash';
    expect(
      await new Validation.JsonStrictValidator(Spec.Version.v1dot6).validate(JSON.stringify(broken)),
    ).not.toBeNull();
  });

  it('has one machine-learning-model per model, with every file hashed as on disk', () => {
    const models = bom.components.filter((c) => c.type === 'machine-learning-model');
    expect(models.map((m) => m.name)).toEqual(['acme/tiny-b', 'tiny-a']);
    for (const m of models) {
      const dir = join(F, 'models', m.name);
      const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
        revision: string;
        files: { path: string }[];
      };
      expect(m.version).toBe(manifest.revision);
      expect(m.components!.map((f) => [f.name, f.hashes])).toEqual(
        manifest.files.map((f) => [f.path, [{ alg: 'SHA-256', content: sha256(join(dir, f.path)) }]]),
      );
    }
    const [b, a] = models;
    expect(a!.licenses).toEqual([{ expression: 'MIT' }]);
    expect(a!.externalReferences).toContainEqual({
      type: 'distribution',
      url: 'https://hub.example/acme/tiny-a/tree/0123456789abcdef',
      comment: 'where the model was mirrored from',
    });
    expect(b!.licenses).toEqual([{ expression: 'Apache-2.0' }]);
    expect(b!.modelCard).toEqual({
      modelParameters: { task: 'raw' },
      properties: [
        { name: 'airlock:card:NOTICE.txt', value: readFileSync(join(F, 'models/acme/tiny-b/NOTICE.txt'), 'utf8') },
      ],
    });
    expect(a!.modelCard).toBeUndefined();
  });

  it('lists the libraries with npm purls and the runtime files with their hashes', () => {
    const libraries = bom.components.filter((c) => c.type === 'library');
    expect(libraries.map((l) => [l.group, l.name, l.version, l.purl])).toEqual([
      [undefined, 'airlock', '0.1.0', 'pkg:npm/airlock@0.1.0'],
      ['@huggingface', 'transformers', '4.3.1', 'pkg:npm/%40huggingface/transformers@4.3.1'],
      [undefined, 'onnxruntime-web', '1.20.0', 'pkg:npm/onnxruntime-web@1.20.0'],
    ]);
    const dist = join(ROOT, 'node_modules/onnxruntime-web/dist');
    const expected = readdirSync(dist)
      .filter((n) => /^ort-wasm.*\.(wasm|mjs)$/.test(n))
      .sort();
    const files = bom.components.filter((c) => c.type === 'file');
    expect(files.map((f) => f.name)).toEqual(expected);
    for (const f of files) expect(f.hashes).toEqual([{ alg: 'SHA-256', content: sha256(join(dist, f.name)) }]);
  });

  it('claims no egress with the clean audit input as evidence and the one with the foreign request as counter-evidence', () => {
    const [claim] = bom.declarations.claims;
    expect(claim!.predicate).toBe('no request left the allowed origins');
    expect(claim!.evidence).toEqual(['evidence:egress:1']);
    expect(claim!.counterEvidence).toEqual(['evidence:egress:0']);
    const counter = bom.declarations.evidence.find((e) => e['bom-ref'] === 'evidence:egress:0')!;
    const data = JSON.parse(counter.data[0]!.contents.attachment.content) as {
      outside: unknown;
      requests: { url: string }[];
    };
    expect(data.outside).toEqual([{ origin: 'https://cdn.foreign.example', count: 1 }]);
    expect(data.requests.map((r) => r.url)).toContain('https://cdn.foreign.example/ort/ort-wasm-simd-threaded.wasm');
  });
});
