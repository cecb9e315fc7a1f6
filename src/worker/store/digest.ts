// SHA-256 in the store. Bytes held whole go to WebCrypto: native, and the fastest (611-792 MB/s
// measured in Chromium), but only in secure contexts and never in pieces. Bytes hashed in pieces
// (a download as it arrives, a stream of stored chunks) go to a WASM SHA-256 (hash-wasm, about
// 3x the JavaScript hash); where WebAssembly cannot be compiled (a CSP without
// 'wasm-unsafe-eval'), the JavaScript hash does it.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { createSHA256 } from 'hash-wasm';

/** An incremental SHA-256. */
export interface Hasher {
  update(bytes: Uint8Array): void;
  /** the hex digest; the hasher is spent afterwards */
  hex(): string;
}

export async function digestOf(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', bytes)));
  return bytesToHex(sha256(bytes));
}

let wasmUsable = true;

function javascriptHasher(): Hasher {
  const hash = sha256.create();
  return { update: (bytes) => void hash.update(bytes), hex: () => bytesToHex(hash.digest()) };
}

/** A fresh incremental SHA-256: WASM when it can be compiled, JavaScript otherwise. */
export async function createHasher(): Promise<Hasher> {
  if (wasmUsable) {
    try {
      const hash = await createSHA256();
      return { update: (bytes) => void hash.update(bytes), hex: () => hash.digest('hex') };
    } catch {
      wasmUsable = false; // not again in this worker: the answer will not change
    }
  }
  return javascriptHasher();
}
