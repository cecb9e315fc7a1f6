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

/**
 * The file's SHA-256 and, when it is larger than one piece of `pieceBytes`, the SHA-256 of each
 * piece (see src/manifest/pieces.ts), in one pass over the file.
 */
export async function sha256WithPieces(
  path: string,
  pieceBytes: number,
): Promise<{ sha256: string; pieces: string[] }> {
  const whole = createHash('sha256');
  const pieces: string[] = [];
  let piece = createHash('sha256');
  let inPiece = 0;
  for await (const data of createReadStream(path)) {
    const chunk = data as Buffer;
    whole.update(chunk);
    for (let at = 0; at < chunk.length;) {
      const n = Math.min(pieceBytes - inPiece, chunk.length - at);
      piece.update(chunk.subarray(at, at + n));
      inPiece += n;
      at += n;
      if (inPiece === pieceBytes) {
        pieces.push(piece.digest('hex'));
        piece = createHash('sha256');
        inPiece = 0;
      }
    }
  }
  if (inPiece > 0) pieces.push(piece.digest('hex'));
  // a file of one piece has no pieces of its own: its SHA-256 says it all
  return { sha256: whole.digest('hex'), pieces: pieces.length > 1 ? pieces : [] };
}

export async function gitBlobId(path: string, size: number): Promise<string> {
  const hash = createHash('sha1').update(`blob ${size}\0`);
  await hashInto(hash, path);
  return hash.digest('hex');
}
