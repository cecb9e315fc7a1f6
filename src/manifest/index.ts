export { MANIFEST_FILE, MANIFEST_SCHEMA, type Manifest, type ManifestFile } from './types.js';
export { validateManifest } from './validate.js';
export { computeRevision } from './revision.js';
export { pathProblem, modelIdProblem, visiblePath } from './paths.js';
export { DEFAULT_MANIFEST_LIMITS, type ManifestLimits } from './limits.js';
export { readManifestText } from './read-text.js';
