// Hashes of local files: SHA-256 (the manifest's and LFS's) and the git blob id (a regular file's
// id on the hub: SHA-1 over `blob <size>\0` and the bytes).
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function hashInto(hash: Hash, path: string): Promise<number> {
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return bytes;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  await hashInto(hash, path);
  return hash.digest('hex');
}

export async function gitBlobId(path: string, size: number): Promise<string> {
  const hash = createHash('sha1').update(`blob ${size}\0`);
  await hashInto(hash, path);
  return hash.digest('hex');
}
