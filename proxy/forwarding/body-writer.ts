import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { Transform } from "node:stream";

/**
 * Where an upstream's answer body goes: straight to the client, or through an encoder. `write`
 * returns false when the client is behind; `onDrain` then tells when to resume the upstream.
 */
export interface BodyWriter {
  write(chunk: Buffer): boolean;
  onDrain(resume: () => void): void;
  end(trailers: OutgoingHttpHeaders | null): void;
}

export function directBody(res: ServerResponse): BodyWriter {
  return {
    write: (chunk) => res.write(chunk),
    onDrain: (resume) => res.once("drain", resume),
    end(trailers) {
      if (trailers !== null) res.addTrailers(trailers);
      res.end();
    },
  };
}

/** The client has its answer already (or needs no body): the upstream's bytes go nowhere. */
export function discardedBody(): BodyWriter {
  return { write: () => true, onDrain: () => undefined, end: () => undefined };
}

/** Bytes in and out of an encoder, for the traffic page's "saved by compression". */
export interface CodedBytes {
  in: number;
  out: number;
}

/**
 * How long the upstream must be quiet before what the encoder holds is sent. A streamed answer
 * (server-sent events, a slow page) reaches the client at most this late; a body that arrives at
 * once is coded without a flush between its chunks, each of which costs the encoder a round trip
 * and some of its ratio.
 */
export const FLUSH_WHEN_QUIET_MS = 10;

/** The body coded on its way: the encoder is piped to the client, so backpressure comes from the client. */
export function codedBody(res: ServerResponse, encoder: Transform, counted: CodedBytes): BodyWriter {
  const flush = () => {
    if (!encoder.destroyed) (encoder as Transform & { flush(): void }).flush();
  };
  const quiet = setTimeout(flush, FLUSH_WHEN_QUIET_MS);
  encoder.on("data", (chunk: Buffer) => {
    counted.out += chunk.length;
  });
  // An encoder failing is this answer's end: the client sees a cut, never a half-coded body as whole.
  encoder.once("error", () => res.destroy());
  // The client left: free the encoder's memory now rather than when it is collected.
  res.once("close", () => {
    clearTimeout(quiet);
    encoder.destroy();
  });
  encoder.pipe(res);
  return {
    write(chunk) {
      counted.in += chunk.length;
      quiet.refresh();
      return encoder.write(chunk);
    },
    onDrain: (resume) => encoder.once("drain", resume),
    end(trailers) {
      clearTimeout(quiet);
      if (trailers !== null) res.addTrailers(trailers);
      encoder.end();
    },
  };
}
