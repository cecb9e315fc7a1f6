// Which files of a manifest a raw session needs: one `.onnx` file and its external data.
import { AirlockError } from '../errors.js';
import type { Manifest, ManifestFile } from '../manifest/types.js';

/**
 * The model file (`file`, or the manifest's only `.onnx`) first, then its external data: the files
 * beside it named `<file>_data`, `<file>_data_1`, ..., as ONNX exporters write them.
 */
export function sessionFiles(manifest: Manifest, file?: string): [ManifestFile, ...ManifestFile[]] {
  const picked = manifest.files.filter((f) => (file ? f.path === file : f.path.endsWith('.onnx')));
  if (picked.length !== 1) {
    const why = file ? `has no file "${file}"` : `has ${picked.length} .onnx files: name one`;
    throw new AirlockError('BAD_INPUT', `Model "${manifest.id}" ${why}`, {
      modelId: manifest.id,
      files: manifest.files.map((f) => f.path),
    });
  }
  const onnx = picked[0]!;
  const data = new RegExp(`^${onnx.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}_data(_\\d+)?$`);
  return [onnx, ...manifest.files.filter((f) => data.test(f.path))];
}
