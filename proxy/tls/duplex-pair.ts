import { Duplex } from "node:stream";

/**
 * Two connected in-memory streams: what one end writes, the other reads. Lets the proxy run a
 * real TLS handshake against its own TLS servers without a port (node:stream has duplexPair only
 * from Node 22).
 */
export function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const end = (peer: () => Duplex): Duplex =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        peer().push(chunk);
        callback();
      },
      final(callback) {
        peer().push(null);
        callback();
      },
      destroy(error, callback) {
        peer().destroy();
        callback(error);
      },
    });
  ends.push(
    end(() => ends[1]!),
    end(() => ends[0]!),
  );
  return [ends[0]!, ends[1]!];
}
