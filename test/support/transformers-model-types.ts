// What the installed transformers.js resolves each architecture and model_type to (read from its
// source, which the package ships), keeping only the types that load more than a `model` session.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './paths.js';

const SINGLE_SESSION = new Set(['EncoderOnly', 'DecoderOnly', 'DecoderOnlyWithoutHead']);

export interface ModelTypeTable {
  architectures: Record<string, string>;
  modelTypes: Record<string, string>;
}

// the parts of transformers.js's source modules read here
interface ModelingUtils {
  MODEL_TYPE_MAPPING: Map<string, number>;
  MODEL_MAPPING_NAMES: Record<string, Map<string, string>>;
}
interface SessionConfig {
  MODEL_TYPES: Record<string, number>;
}
interface ResolveModelType {
  resolve_model_type: (config: object, options: { warn: boolean }) => number;
}

export async function modelTypeTable(): Promise<ModelTypeTable> {
  const pkg = join(ROOT, 'node_modules/@huggingface/transformers');
  const load = <T>(p: string) => import(pathToFileURL(join(pkg, 'src', p)).href) as Promise<T>;
  const utils = await load<ModelingUtils>('models/modeling_utils.js');
  await load<unknown>('models/registry.js');
  const { MODEL_TYPES } = await load<SessionConfig>('models/session_config.js');
  const { resolve_model_type } = await load<ResolveModelType>('utils/model_registry/resolve_model_type.js');
  const typeName = new Map(Object.entries(MODEL_TYPES).map(([k, v]) => [v, k]));
  const keep = (into: Record<string, string>, key: string, config: object) => {
    const name = typeName.get(resolve_model_type(config, { warn: false }))!;
    if (!SINGLE_SESSION.has(name)) into[key] = name;
  };
  const table: ModelTypeTable = { architectures: {}, modelTypes: {} };
  for (const arch of [...utils.MODEL_TYPE_MAPPING.keys()].sort())
    keep(table.architectures, arch, { architectures: [arch] });
  const modelTypes = new Set<string>();
  for (const mapping of Object.values(utils.MODEL_MAPPING_NAMES)) for (const t of mapping.keys()) modelTypes.add(t);
  for (const t of [...modelTypes].sort()) keep(table.modelTypes, t, { model_type: t });
  return table;
}
