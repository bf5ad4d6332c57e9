/** Anything the readers accept as a stream of bytes: whole buffers, Blobs/Files, Web streams, async iterables. */
export type ByteInput = Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/** Yields the bytes of `input` in chunks without copying whole files (Blobs are read through `stream()`). */
export async function* byteChunks(input: ByteInput): AsyncGenerator<Uint8Array> {
  if (input instanceof Uint8Array) {
    yield input;
  } else if (input instanceof ArrayBuffer) {
    yield new Uint8Array(input);
  } else if (typeof Blob !== "undefined" && input instanceof Blob) {
    yield* readableChunks(input.stream() as ReadableStream<Uint8Array>);
  } else if (typeof (input as ReadableStream).getReader === "function") {
    yield* readableChunks(input as ReadableStream<Uint8Array>);
  } else {
    for await (const chunk of input as AsyncIterable<Uint8Array>) yield chunk;
  }
}

async function* readableChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Size in bytes when known before reading (buffers and Blobs), else undefined. */
export function knownSize(input: ByteInput): number | undefined {
  if (input instanceof Uint8Array || input instanceof ArrayBuffer) return input.byteLength;
  if (typeof Blob !== "undefined" && input instanceof Blob) return input.size;
  return undefined;
}

/** Text of a byte input (UTF-8), decoded incrementally. */
export async function readText(input: ByteInput | string): Promise<string> {
  if (typeof input === "string") return input;
  const decoder = new TextDecoder();
  let text = "";
  for await (const chunk of byteChunks(input)) text += decoder.decode(chunk, { stream: true });
  return text + decoder.decode();
}
