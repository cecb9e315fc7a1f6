export { MANIFEST_FILE, MANIFEST_SCHEMA, type Manifest, type ManifestFile } from './types.js';
export { validateManifest } from './validate.js';
export { computeRevision } from './revision.js';
export { pathProblem, modelIdProblem } from './paths.js';
