// Whether a kiosk can work with the server gone: the shell cached, and every model it needs
// stored and verified (re-hashed) in the store.
import type { LoadProgress } from '../protocol/types.js';
import { badOption, optionalBoolean, optionalFunction, optionsObject } from './checks.js';
import type { Runtime } from './create-runtime.js';
import { shellStatus } from './offline-shell.js';

export interface OfflineReadinessOptions {
  /** the models the page needs offline */
  models: string[];
  /** first download (and verify) what the store lacks of them; default false */
  prefetch?: boolean;
  onProgress?: (progress: LoadProgress) => void;
}

export interface ModelReadiness {
  id: string;
  /** every file of the model is in the store */
  stored: boolean;
  /** every stored file matched its hash just now */
  verified: boolean;
  /** why a prefetch failed (an error's code, or its message) */
  problem?: string;
}

export interface OfflineReadiness {
  /** the shell is cached and every model is stored and verified */
  ready: boolean;
  shellCached: boolean;
  buildId: string | null;
  models: ModelReadiness[];
  /** what is not ready: `shell`, and the ids of models not stored or not verified */
  missing: string[];
}

function modelIds(value: unknown): string[] {
  if (!Array.isArray(value) || !value.every((m) => typeof m === 'string' && m !== ''))
    throw badOption('models', value, 'an array of model ids');
  return value as string[];
}

async function modelReadiness(
  runtime: Runtime,
  id: string,
  prefetch: boolean,
  onProgress?: OfflineReadinessOptions['onProgress'],
): Promise<ModelReadiness> {
  let problem: string | undefined;
  if (prefetch && !(await runtime.cache.has(id))) {
    await runtime.cache.prefetch(id, onProgress ? { onProgress } : {}).catch((e: unknown) => {
      problem = (e as { code?: string }).code ?? String(e);
    });
  }
  const stored = await runtime.cache.has(id);
  const verified = stored && (await runtime.cache.verify(id))?.ok === true;
  return { id, stored, verified, ...(problem !== undefined && { problem }) };
}

/** Checks (and with `prefetch`, completes) what the page needs to work offline. */
export async function offlineReadiness(runtime: Runtime, options: OfflineReadinessOptions): Promise<OfflineReadiness> {
  const given = optionsObject('options', options);
  const ids = modelIds(given.models);
  const prefetch = optionalBoolean('prefetch', given.prefetch) ?? false;
  const onProgress = optionalFunction('onProgress', given.onProgress);
  const shell = await shellStatus();
  const models: ModelReadiness[] = [];
  for (const id of ids) models.push(await modelReadiness(runtime, id, prefetch, onProgress));
  const shellCached = shell?.cached === true;
  const missing = [...(shellCached ? [] : ['shell']), ...models.filter((m) => !m.verified).map((m) => m.id)];
  return { ready: missing.length === 0, shellCached, buildId: shell?.buildId ?? null, models, missing };
}
