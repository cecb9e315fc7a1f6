// Reads a response body into a buffer the store owns. Where the body is a byte stream (as fetch
// bodies are in Chromium), a BYOB reader fills one reused scratch buffer, so a download leaves no
// trail of network-sized pieces for the garbage collector; elsewhere pieces are copied as they
// come. The caller's buffer is never handed to the stream: a read that fails (a dropped
// connection) takes its buffer with it, and the bytes already gathered must survive that.

const SCRATCH_BYTES = 256 * 1024;

export interface BodyReader {
  /** Copies at least one byte of the body into `into`; returns how many, or null at its end. */
  read(into: Uint8Array): Promise<number | null>;
  cancel(): Promise<void>;
}

function byobReader(body: ReadableStream<Uint8Array>): BodyReader | undefined {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = body.getReader({ mode: 'byob' });
  } catch {
    return undefined; // not a byte stream
  }
  let scratch = new ArrayBuffer(SCRATCH_BYTES);
  return {
    async read(into) {
      const { value, done } = await reader.read(new Uint8Array(scratch, 0, Math.min(into.byteLength, SCRATCH_BYTES)));
      // the read moved the scratch memory into `value`: take it back for the next read
      if (value) scratch = value.buffer;
      if (done || !value) return null;
      into.set(value);
      return value.byteLength;
    },
    cancel: () => reader.cancel(),
  };
}

function copyingReader(body: ReadableStream<Uint8Array>): BodyReader {
  const reader = body.getReader();
  let left: Uint8Array | undefined;
  return {
    async read(into) {
      if (!left || left.byteLength === 0) {
        const { value, done } = await reader.read();
        if (done) return null;
        left = value;
      }
      const n = Math.min(into.byteLength, left.byteLength);
      into.set(left.subarray(0, n));
      left = left.subarray(n);
      return n;
    },
    cancel: () => reader.cancel(),
  };
}

export function bodyReader(body: ReadableStream<Uint8Array>): BodyReader {
  return byobReader(body) ?? copyingReader(body);
}
