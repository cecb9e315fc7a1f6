// The models tree as the inventory lists it: each manifest's files, revision, licence and source,
// the signature's key id, when the model was mirrored and any model card or notice beside it.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { findModels } from '../model-dirs.js';
import { readManifest } from '../read-manifest.js';
import { isObject, isoTime, parseJson } from './read-input.js';
import type { ModelEntry } from './types.js';

const CARD = /^(README|NOTICE|MODEL_CARD)(\.(md|txt))?$/i;
const MAX_CARD_CHARS = 4000;

/** The key id of `<file>.sig`, null when there is none. */
async function signerOf(file: string): Promise<string | null> {
  const text = await readFile(`${file}.sig`, 'utf8').catch(() => null);
  if (text === null) return null;
  const sig = parseJson(`${file}.sig`, text, '--models');
  return isObject(sig) && typeof sig.keyId === 'string' ? sig.keyId : null;
}

/** When the model was mirrored: the manifest's own record if it has one, else the manifest file's mtime. */
async function mirroredOf(
  dir: string,
  raw: Record<string, unknown>,
): Promise<Pick<ModelEntry, 'mirroredAt' | 'mirroredFrom'>> {
  const upstream = isObject(raw.upstream) ? raw.upstream : {};
  const recorded = isoTime(raw.mirroredAt) ?? isoTime(raw.pulledAt) ?? isoTime(upstream.pulledAt);
  if (recorded) return { mirroredAt: recorded, mirroredFrom: 'manifest' };
  const { mtime } = await stat(join(dir, 'manifest.json'));
  return { mirroredAt: mtime.toISOString(), mirroredFrom: 'file-mtime' };
}

async function cardOf(dir: string, raw: Record<string, unknown>): Promise<ModelEntry['card']> {
  const card: ModelEntry['card'] = [];
  if (typeof raw.modelCard === 'string') card.push({ file: 'manifest.json (modelCard)', text: raw.modelCard });
  const names = (await readdir(dir)).filter((n) => CARD.test(n)).sort();
  for (const name of names)
    card.push({ file: name, text: (await readFile(join(dir, name), 'utf8')).slice(0, MAX_CARD_CHARS) });
  return card;
}

async function modelEntry(root: string, id: string): Promise<ModelEntry> {
  const dir = resolve(root, id);
  const manifest = await readManifest(dir, id);
  const raw = parseJson(join(dir, 'manifest.json'), await readFile(join(dir, 'manifest.json'), 'utf8'), '--models');
  const extra = isObject(raw) ? raw : {};
  return {
    id: manifest.id,
    revision: manifest.revision,
    task: manifest.task,
    license: manifest.license,
    source: manifest.source,
    signer: await signerOf(join(dir, 'manifest.json')),
    files: manifest.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })),
    size: manifest.files.reduce((n, f) => n + f.size, 0),
    ...(await mirroredOf(dir, extra)),
    lastVerified: null,
    failedVerifications: 0,
    card: await cardOf(dir, extra),
  };
}

export async function readModels(root: string): Promise<ModelEntry[]> {
  const ids = await findModels(root);
  const models: ModelEntry[] = [];
  for (const id of ids) models.push(await modelEntry(root, id));
  return models;
}
