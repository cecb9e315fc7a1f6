// Reads and validates a model folder's manifest.json with the runtime's own rules, as a CliError
// that names the folder and the problem.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AirlockError } from '../errors.js';
import { validateManifest } from '../manifest/validate.js';
import { MANIFEST_FILE, type Manifest } from '../manifest/types.js';
import { CliError } from './errors.js';

export type ExtendedManifest = Manifest & { dtypes?: string[] };

/** `expectedId`: the id the folder's place in the tree gives it, when known. */
export async function readManifest(dir: string, expectedId?: string): Promise<ExtendedManifest> {
  let text: string;
  try {
    text = await readFile(join(dir, MANIFEST_FILE), 'utf8');
  } catch {
    throw new CliError(
      'NO_MANIFEST',
      `${dir} has no ${MANIFEST_FILE}`,
      `Write one with: airlock manifest ${dir} --id <org/name> --task <task> --license <spdx> --source <text>`,
      { dir },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw invalid(dir, 'it is not JSON');
  }
  const id = expectedId ?? String((raw as { id?: unknown })?.id);
  try {
    const manifest = validateManifest(raw, id);
    const dtypes = (raw as { dtypes?: unknown }).dtypes;
    return Array.isArray(dtypes) && dtypes.every((d) => typeof d === 'string') ? { ...manifest, dtypes } : manifest;
  } catch (e) {
    if (e instanceof AirlockError) throw invalid(dir, e.message.replace(/^Manifest of "[^"]*" (is invalid: )?/, ''));
    throw e;
  }
}

function invalid(dir: string, why: string): CliError {
  return new CliError(
    'MANIFEST_INVALID',
    `${join(dir, MANIFEST_FILE)} is refused: ${why}`,
    `Fix it, or write it again with airlock manifest ${dir}`,
    { dir },
  );
}
