// The model origin's `index.json` (written by `airlock index`): every model it offers, so a
// portal can list them. One type for the writer (Node) and the runtime's `models()`, and the
// check the runtime applies before handing it to a page.
import { AirlockError } from '../errors.js';
import { modelIdProblem } from './paths.js';

export const INDEX_FILE = 'index.json';

export interface IndexEntry {
  id: string;
  revision: string;
  task: string;
  /** the dtypes its manifest lists (empty when it names none) */
  dtypes: string[];
  /** bytes of every file the manifest lists */
  size: number;
  files: number;
  license: string;
  source: string;
}

export interface ModelsIndex {
  schema: 1;
  models: IndexEntry[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** Why entry `e` is not one, or undefined. */
function entryProblem(e: unknown): string | undefined {
  if (!isRecord(e)) return 'is not an object';
  if (typeof e.id !== 'string' || modelIdProblem(e.id))
    return `has an id that ${typeof e.id === 'string' ? modelIdProblem(e.id) : 'is not a string'}`;
  for (const key of ['revision', 'task', 'license', 'source'] as const)
    if (typeof e[key] !== 'string') return `has no string ${key}`;
  if (!Array.isArray(e.dtypes) || !e.dtypes.every((d) => typeof d === 'string'))
    return 'has dtypes that are not a list of strings';
  if (!isCount(e.size) || !isCount(e.files)) return 'has a size or file count that is not a non-negative integer';
  return undefined;
}

/** Checks `raw` as a models index read from `url`; MANIFEST_INVALID naming the first wrong entry. */
export function validateIndex(raw: unknown, url: string): ModelsIndex {
  const invalid = (why: string, details: Record<string, unknown> = {}) =>
    new AirlockError('MANIFEST_INVALID', `The model index at ${url} is invalid: ${why}`, { url, ...details });
  if (!isRecord(raw) || raw.schema !== 1) throw invalid('schema must be the number 1');
  if (!Array.isArray(raw.models)) throw invalid('models must be an array');
  raw.models.forEach((e: unknown, i) => {
    const problem = entryProblem(e);
    if (problem) throw invalid(`models[${i}] ${problem}`, { entry: i });
  });
  const models = (raw.models as IndexEntry[]).map(({ id, revision, task, dtypes, size, files, license, source }) => ({
    id,
    revision,
    task,
    dtypes: [...dtypes],
    size,
    files,
    license,
    source,
  }));
  return { schema: 1, models };
}
