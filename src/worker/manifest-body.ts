// The body of a manifest response as JSON. A server that answers a manifest URL with a page (a
// dev server's or an app's fallback for any path, an object store's XML error) has no manifest
// there: that is a wrong modelBase, so it is MODEL_NOT_FOUND, as a 404 would be, and not a
// manifest that breaks a rule (MANIFEST_INVALID).
import { AirlockError } from '../errors.js';

/** `text/html; charset=utf-8` → `text/html`; empty when the response has none. */
export function mediaType(header: string | null): string {
  return (header ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The manifest's text (read under the byte cap) as JSON, saying what the server sent when it is not. */
export function manifestJson(
  text: string,
  contentTypeHeader: string | null,
  where: { modelId: string; url: string; modelBase: string },
): unknown {
  const { modelId, url, modelBase } = where;
  try {
    return JSON.parse(text);
  } catch {
    // not JSON: what was it?
  }
  const contentType = mediaType(contentTypeHeader);
  if (contentType === 'text/html' || text.trimStart().startsWith('<')) {
    const what =
      contentType === 'text/html'
        ? 'an HTML page'
        : `markup (${contentType || 'no content type'}), as an HTML or XML page`;
    throw new AirlockError(
      'MODEL_NOT_FOUND',
      `No manifest of "${modelId}" at ${url}: the server sent ${what} instead of JSON. Check modelBase (${modelBase}): it must be the folder that holds <id>/manifest.json, served as files (a server's fallback page for unknown paths is not a manifest)`,
      { modelId, url, contentType, modelBase },
    );
  }
  throw new AirlockError('MANIFEST_INVALID', `Manifest of "${modelId}" is not JSON`, { modelId, url });
}
