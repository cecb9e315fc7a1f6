// The manifest: the list of a model's files with their sizes and SHA-256, written by the admin's
// tooling and checked by the browser before any byte is used.

import type { FilePieces } from './pieces.js';

export const MANIFEST_SCHEMA = 1;
export const MANIFEST_FILE = 'manifest.json';

export interface ManifestFile {
  /** relative, normalized, forward slashes, never `..` */
  path: string;
  size: number;
  /** lowercase hex */
  sha256: string;
  /** the SHA-256 of each piece, for files larger than one piece (see ./pieces.ts) */
  pieces?: FilePieces;
}

export interface Manifest {
  schema: typeof MANIFEST_SCHEMA;
  id: string;
  /** the transformers.js task, or "raw" for models used only through raw sessions */
  task: string;
  /** SHA-256 over the sorted file list: changes whenever any file changes */
  revision: string;
  /** where the files came from */
  source: string;
  /** SPDX identifier */
  license: string;
  files: ManifestFile[];
  /** the dtypes whose ONNX files it holds, as `airlock pull` writes them (optional: else derived from the file names) */
  dtypes?: string[];
}
