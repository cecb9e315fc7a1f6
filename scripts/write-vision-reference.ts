// Writes scripts/fixtures/tiny-vision.reference.json: tiny-vision's logits for its sample images,
// computed by native onnxruntime (Node) on pixels preprocessed here as preprocessor_config.json
// says. The browser tests compare Airlock's answers with it; the fixtures test recomputes it.
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import { format, resolveConfig } from 'prettier';
import { preprocess, sampleImage, SIDE, type SampleName, SAMPLE_NAMES } from './fixtures/tiny-vision.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const VISION_REFERENCE = join(ROOT, 'scripts/fixtures/tiny-vision.reference.json');

/** logits per sample image, from native onnxruntime */
export async function visionLogits(modelPath: string): Promise<Record<SampleName, number[]>> {
  const session = await ort.InferenceSession.create(modelPath);
  const out = {} as Record<SampleName, number[]>;
  for (const name of SAMPLE_NAMES) {
    const pixels = preprocess(sampleImage(name), SIDE, SIDE);
    const result = await session.run({ pixel_values: new ort.Tensor('float32', pixels, [1, 3, SIDE, SIDE]) });
    out[name] = Array.from(result.logits!.data as Float32Array);
  }
  return out;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const logits = await visionLogits(join(ROOT, 'models/tiny-vision/onnx/model.onnx'));
  const text = JSON.stringify({ model: 'tiny-vision', runtime: 'onnxruntime-node', logits });
  // formatted as the tree is, so that prettier --check passes on it
  const options = await resolveConfig(VISION_REFERENCE);
  await writeFile(VISION_REFERENCE, await format(text, { ...options, filepath: VISION_REFERENCE }));
  console.log(`wrote ${VISION_REFERENCE}`);
}
