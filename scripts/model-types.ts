// Writes src/shared/hf/model-types.json: which transformers.js model type each architecture and
// model_type resolves to, for the types that load more than one `model` session. The CLI reads it
// to pick the ONNX files a pull needs; test/unit/cli-files.test.ts checks it against the
// installed transformers.js, so an upgrade that changes it fails until this is run again.
// Usage: npx tsx scripts/model-types.ts
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { modelTypeTable } from '../test/support/transformers-model-types.js';

const out = resolve(import.meta.dirname, '../src/shared/hf/model-types.json');
writeFileSync(out, `${JSON.stringify(await modelTypeTable(), null, 1)}\n`);
console.log(`wrote ${out}`);
