// Reading a manifest response under the byte cap (limits.ts), before any parsing. Apart from the
// limits themselves, which the page's options also need, so that the page does not carry this.
import { AirlockError } from '../errors.js';

function tooLarge(id: string, url: string, maxBytes: number, size: string): AirlockError {
  return new AirlockError(
    'MANIFEST_INVALID',
    `Manifest of "${id}" is ${size}, more than the ${maxBytes} bytes allowed`,
    { modelId: id, url, maxBytes },
  );
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
