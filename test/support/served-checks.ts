// The same checks against every server that serves model files (serve(), and the Vite plugin in
// dev and preview): each Range form, the hidden paths, and files named like compressed ones.
import { expect } from 'vitest';
import { BR, GZ, HIDDEN_URLS, RANGE_CASES, SIZE, WEIGHTS } from './hostile-tree.js';
import { rawRequest } from './raw-http.js';

/** `path` must serve WEIGHTS (SIZE bytes). */
export async function expectRangeForms(origin: string, path: string): Promise<void> {
  for (const { range, expect: want } of RANGE_CASES) {
    for (const method of ['GET', 'HEAD']) {
      const what = `${method} Range: ${range}`;
      const res = await rawRequest(origin, path, { Range: range }, method);
      expect(res.status, what).toBe(want.status);
      const [start, end] = want.status === 206 ? [want.start, want.end] : want.status === 200 ? [0, SIZE - 1] : [0, -1];
      const length = end - start + 1;
      expect(res.headers['content-length'], what).toBe(String(length));
      expect(res.headers['content-range'], what).toBe(
        want.status === 206 ? `bytes ${start}-${end}/${SIZE}` : want.status === 416 ? `bytes */${SIZE}` : undefined,
      );
      expect(res.headers['content-encoding'], what).toBeUndefined();
      const body =
        method === 'HEAD' || want.status === 416 ? Buffer.alloc(0) : Buffer.from(WEIGHTS.subarray(start, end + 1));
      expect(res.body.equals(body), `${what}: body of ${res.body.length} bytes`).toBe(true);
    }
  }
}

/** Every hidden form under `base` (`/models/`) is a plain 404 that carries none of the secret. */
export async function expectHiddenRefused(origin: string, base: string): Promise<void> {
  for (const path of HIDDEN_URLS) {
    for (const method of ['GET', 'HEAD']) {
      const res = await rawRequest(origin, `${base}${path}`, {}, method);
      expect(res.status, `${method} ${base}${path}`).toBe(404);
      expect(res.headers['content-type'], path).toBe('text/plain; charset=utf-8');
      expect(res.body.toString(), path).not.toMatch(/TOKEN/);
    }
  }
}

/** A link inside the folder is served, as the file it points to. */
export async function expectLinkInside(origin: string, base: string): Promise<void> {
  const res = await rawRequest(origin, `${base}hostile/link-in.bin`);
  expect(res.status).toBe(200);
  expect(res.body.equals(Buffer.from(WEIGHTS))).toBe(true);
}

/** `.gz` and `.br` files come as their own bytes: through fetch, which would decode a Content-Encoding. */
export async function expectCompressedNamesAsBytes(origin: string, base: string): Promise<void> {
  for (const [path, bytes] of [
    ['hostile/sub/vocab.json.gz', GZ],
    ['hostile/merges.br', BR],
  ] as const) {
    const res = await fetch(`${origin}${base}${path}`, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
    expect(res.status, path).toBe(200);
    expect(res.headers.get('content-encoding'), path).toBeNull();
    expect(res.headers.get('content-type'), path).toBe('application/octet-stream');
    expect(res.headers.get('content-length'), path).toBe(String(bytes.length));
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes), path).toBe(true);
    const tail = await fetch(`${origin}${base}${path}`, { headers: { Range: 'bytes=-4' } });
    expect(tail.status, path).toBe(206);
    expect(tail.headers.get('content-encoding'), path).toBeNull();
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(bytes.length - 4)), path).toBe(true);
  }
}
