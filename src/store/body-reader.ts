// Reads a response body straight into buffers the store owns. Where the body is a byte stream (as
// fetch bodies are in Chromium), a BYOB reader fills the chunk buffer in place, so a download
// leaves no trail of network-sized pieces for the garbage collector; elsewhere, pieces are copied.

export interface BodyRead {
  /** the bytes read, on the memory of the view passed in (a BYOB read moves it to a new ArrayBuffer) */
  filled: Uint8Array<ArrayBuffer>;
  done: boolean;
}

export interface BodyReader {
  /** Reads at least one byte into `view`, unless the body is done. */
  read(view: Uint8Array<ArrayBuffer>): Promise<BodyRead>;
  cancel(): Promise<void>;
}

function byobReader(body: ReadableStream<Uint8Array>): BodyReader | undefined {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = body.getReader({ mode: 'byob' });
  } catch {
    return undefined; // not a byte stream
  }
  return {
    async read(view) {
      const { value, done } = await reader.read(view);
      // on `done` the view comes back empty, on the same (moved) memory
      return { filled: (value ?? view.subarray(0, 0)) as Uint8Array<ArrayBuffer>, done };
    },
    cancel: () => reader.cancel(),
  };
}

function copyingReader(body: ReadableStream<Uint8Array>): BodyReader {
  const reader = body.getReader();
  let left: Uint8Array | undefined;
  return {
    async read(view) {
      if (!left || left.byteLength === 0) {
        const { value, done } = await reader.read();
        if (done) return { filled: view.subarray(0, 0), done: true };
        left = value;
      }
      const n = Math.min(view.byteLength, left.byteLength);
      view.set(left.subarray(0, n));
      left = left.subarray(n);
      return { filled: view.subarray(0, n), done: false };
    },
    cancel: () => reader.cancel(),
  };
}

export function bodyReader(body: ReadableStream<Uint8Array>): BodyReader {
  return byobReader(body) ?? copyingReader(body);
}
