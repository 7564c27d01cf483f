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

/** Bytes in and out of an encoder, for the traffic page's "saved by compression". */
export interface CodedBytes {
  in: number;
  out: number;
}

/**
 * The body coded on its way: the encoder is piped to the client (backpressure from the client),
 * and its output is flushed whenever the upstream pauses, so a streamed answer (server-sent
 * events, a slow page) reaches the client as it comes instead of waiting in the encoder.
 */
export function codedBody(res: ServerResponse, encoder: Transform, counted: CodedBytes): BodyWriter {
  let flushQueued = false;
  let ended = false;
  const flush = () => {
    flushQueued = false;
    if (!ended && !encoder.destroyed) (encoder as Transform & { flush(): void }).flush();
  };
  encoder.on("data", (chunk: Buffer) => {
    counted.out += chunk.length;
  });
  // An encoder failing is this answer's end: the client sees a cut, never a half-coded body as whole.
  encoder.once("error", () => res.destroy());
  // The client left: free the encoder's memory now rather than when it is collected.
  res.once("close", () => encoder.destroy());
  encoder.pipe(res);
  return {
    write(chunk) {
      counted.in += chunk.length;
      const more = encoder.write(chunk);
      if (!flushQueued) {
        flushQueued = true;
        setImmediate(flush);
      }
      return more;
    },
    onDrain: (resume) => encoder.once("drain", resume),
    end(trailers) {
      ended = true;
      if (trailers !== null) res.addTrailers(trailers);
      encoder.end();
    },
  };
}
