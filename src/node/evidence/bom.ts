// bom.cdx.json: the report as a CycloneDX 1.6 BOM, built as plain JSON (a small, fixed shape;
// the CLI needs no BOM library at run time, and a test validates it against the official schema).
import { randomUUID } from 'node:crypto';
import type { EvidenceReport, ModelEntry, RuntimeComponent } from './types.js';

type Json = Record<string, unknown>;

const SPDX_EXPRESSION = /^[A-Za-z0-9.+-]+( (AND|OR|WITH) [A-Za-z0-9.+-]+)*$/;

const licenses = (license: string): Json[] =>
  SPDX_EXPRESSION.test(license) ? [{ expression: license }] : [{ license: { name: license } }];

const sha256 = (content: string): Json[] => [{ alg: 'SHA-256', content }];

function isUrl(s: string): boolean {
  try {
    return /^https?:$/.test(new URL(s).protocol);
  } catch {
    return false;
  }
}

export function npmPurl(name: string, version: string): string {
  return `pkg:npm/${name.replace(/^@/, '%40')}@${encodeURIComponent(version)}`;
}

function modelCard(m: ModelEntry): Json | undefined {
  if (m.card.length === 0) return undefined;
  return {
    modelParameters: { task: m.task },
    properties: m.card.map((c) => ({ name: `airlock:card:${c.file}`, value: c.text })),
  };
}

function modelComponent(m: ModelEntry, modelOrigin: string | null): Json {
  const refs: Json[] = [];
  if (isUrl(m.source)) refs.push({ type: 'distribution', url: m.source, comment: 'where the model was mirrored from' });
  if (modelOrigin)
    refs.push({
      type: 'other',
      url: new URL(`/models/${m.id}/manifest.json`, modelOrigin).href,
      comment: 'the manifest on the internal origin',
    });
  const card = modelCard(m);
  return {
    type: 'machine-learning-model',
    'bom-ref': `model:${m.id}@${m.revision}`,
    name: m.id,
    version: m.revision,
    description: `${m.task} model, ${m.files.length} files, ${m.size} bytes`,
    licenses: licenses(m.license),
    ...(refs.length && { externalReferences: refs }),
    properties: [
      { name: 'airlock:source', value: m.source },
      { name: 'airlock:signer', value: m.signer ?? 'unsigned' },
      { name: 'airlock:mirroredAt', value: `${m.mirroredAt} (${m.mirroredFrom})` },
      ...(m.lastVerified ? [{ name: 'airlock:lastVerified', value: m.lastVerified }] : []),
    ],
    ...(card && { modelCard: card }),
    components: m.files.map((f) => ({
      type: 'file',
      'bom-ref': `model:${m.id}@${m.revision}:${f.path}`,
      name: f.path,
      hashes: sha256(f.sha256),
      properties: [{ name: 'airlock:size', value: String(f.size) }],
    })),
  };
}

function libraryComponent(c: RuntimeComponent): Json {
  const [group, name] = c.name.startsWith('@') ? c.name.split('/') : [undefined, c.name];
  const purl = npmPurl(c.name, c.version);
  return {
    type: 'library',
    'bom-ref': purl,
    ...(group && { group }),
    name,
    version: c.version,
    purl,
    properties: [
      { name: 'airlock:foundIn', value: c.foundIn.join(',') },
      ...(c.released ? [{ name: 'airlock:released', value: c.released }] : []),
    ],
  };
}

function declarations(r: EvidenceReport, created: string): Json {
  const evidence = r.egress.map((e, i) => ({
    'bom-ref': `evidence:egress:${i}`,
    propertyName: 'airlock:egress',
    description: `${e.file}: ${e.requests} request(s) recorded by the runtime; outside the allowed origins: ${e.outside.length ? e.outside.map((o) => `${o.count} to ${o.origin}`).join(', ') : 'none'}`,
    data: [
      {
        name: e.file,
        contents: {
          attachment: {
            contentType: 'application/json',
            content: JSON.stringify({ ...e, requests: r.requests.filter((q) => q.file === e.file) }),
          },
        },
      },
    ],
    created,
  }));
  const refs = (bad: boolean) =>
    evidence.filter((_, i) => r.egress[i]!.outside.length > 0 === bad).map((e) => e['bom-ref']);
  const claim = {
    'bom-ref': 'claim:no-egress',
    predicate: 'no request left the allowed origins',
    reasoning: `Allowed origins: ${r.network.allowedOrigins.join(', ') || 'none known'}. ${r.summary.find((l) => l.id === 'egress')?.text ?? ''}`,
    ...(refs(false).length && { evidence: refs(false) }),
    ...(refs(true).length && { counterEvidence: refs(true) }),
  };
  return { claims: [claim], ...(evidence.length && { evidence }) };
}

export function buildBom(r: EvidenceReport): Json {
  return {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: r.generatedAt,
      tools: {
        components: [
          {
            type: 'application',
            name: r.tool.name,
            version: r.tool.version,
            purl: npmPurl(r.tool.name, r.tool.version),
          },
        ],
      },
    },
    components: [
      ...r.models.map((m) => modelComponent(m, r.network.modelOrigin)),
      ...r.runtime.components.map(libraryComponent),
      ...r.runtime.files.map((f) => ({
        type: 'file',
        'bom-ref': `runtime-file:${f.path}`,
        name: f.path,
        hashes: sha256(f.sha256),
        properties: [{ name: 'airlock:size', value: String(f.size) }],
      })),
    ],
    declarations: declarations(r, r.generatedAt),
  };
}
