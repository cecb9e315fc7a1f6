// The manifest writer lists exactly what the model server would serve: no dotfile or dot folder,
// a link only when it stays inside the folder, and a clear refusal for one that does not.
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildManifest, ManifestWriteError } from '../../src/node/manifest-writer.js';
import { writeHostileTree } from '../support/hostile-tree.js';

const INFO = { id: 'hostile', task: 'raw', source: 'test', license: 'MIT' };
const LINKS_OUT = ['link-out.onnx', 'linkdir-out', 'link-to-dotfile.onnx'];
let root: string;
let dir: string;
let listed: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'airlock-writer-'));
  ({ listed } = writeHostileTree(join(root, 'served'), join(root, 'outside')));
  dir = join(root, 'served/hostile');
  for (const name of LINKS_OUT) await rm(join(dir, name)); // each comes back in its own case below
});
afterAll(() => rm(root, { recursive: true, force: true }));

const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

describe('manifest writer', () => {
  it('lists plain files and links inside the folder, never a dotfile or a dot folder', async () => {
    const manifest = await buildManifest(dir, INFO);
    expect(manifest.files.map((f) => f.path)).toEqual(listed);
    for (const file of manifest.files) {
      expect(file.sha256, file.path).toBe(await sha256(join(dir, file.path)));
      expect(file.size, file.path).toBe((await readFile(join(dir, file.path))).length);
    }
    expect(manifest.files.find((f) => f.path === 'link-in.bin')?.sha256).toBe(await sha256(join(dir, 'weights.bin')));
  });

  const refusals: [string, string, string][] = [
    ['link-out.onnx', join('..', '..', 'outside', 'secret.onnx'), 'outside'],
    ['linkdir-out', join('..', '..', 'outside', 'dir'), 'outside'],
    ['link-to-dotfile.onnx', '.hidden.onnx', 'hidden'],
    ['dangling.onnx', 'nothing-there.onnx', 'broken'],
    ['sub/loop', '..', 'loop'],
  ];
  it.each(refusals)('refuses %s (a link to %s): %s', async (name, target, reason) => {
    await symlink(target, join(dir, name));
    try {
      const error: unknown = await buildManifest(dir, INFO).then(
        () => 'listed',
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ManifestWriteError);
      expect(error).toMatchObject({ path: name, reason });
      expect((error as Error).message).toContain(name);
    } finally {
      await rm(join(dir, name));
    }
  });
});
