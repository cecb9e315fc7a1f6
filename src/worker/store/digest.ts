// SHA-256 of bytes held whole in memory. WebCrypto is native and faster (measured in Chromium on
// a 128 MiB file: 0.6 s against 1.7 s for the streaming JavaScript hash) but exists only in
// secure contexts and cannot hash in pieces; the streaming hash covers everything else.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export async function digestOf(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', bytes)));
  return bytesToHex(sha256(bytes));
}
