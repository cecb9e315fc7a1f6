// Caps on a manifest, checked before any parsing work: a manifest is a short list written by an
// admin's tooling, and one of 400 000 entries would hold a load (and the browser) for seconds.
import { AirlockError } from '../errors.js';

export interface ManifestLimits {
  /** the most files one manifest may list */
  maxFiles: number;
  /** the most bytes of manifest JSON read from the origin */
  maxBytes: number;
}

export const DEFAULT_MANIFEST_LIMITS: Readonly<ManifestLimits> = { maxFiles: 10_000, maxBytes: 4 * 2 ** 20 };

function tooLarge(id: string, url: string, maxBytes: number, size: string): AirlockError {
  return new AirlockError('MANIFEST_INVALID', `Manifest of "${id}" is ${size}, more than the ${maxBytes} bytes allowed`, { modelId: id, url, maxBytes });
}

/**
 * The text of a manifest response, read only up to `maxBytes`: a declared length over it is
 * refused unread, and a body that goes past it is cancelled there.
 */
export async function readManifestText(res: Response, id: string, url: string, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(id, url, maxBytes, `${declared} bytes`);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(id, url, maxBytes, 'longer');
    }
    parts.push(value);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const p of parts) all.set(p, (at += p.byteLength) - p.byteLength);
  return new TextDecoder().decode(all);
}
