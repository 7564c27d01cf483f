/**
 * Reads the server name (SNI) out of a TLS ClientHello without terminating TLS, so that the
 * connection can be handed to the TLS server whose protocol policy fits the site: OpenSSL picks
 * the protocol version before Node's SNICallback runs, so a per-site "TLS 1.3 only" cannot be
 * decided there.
 */
export type ClientHelloScan =
  /** More bytes are needed to see the whole ClientHello. */
  | { state: "incomplete" }
  /** Not a TLS ClientHello (or a malformed one): let the TLS server deal with it. */
  | { state: "not-tls" }
  | { state: "done"; serverName: string | null };

const HANDSHAKE = 0x16;
const CLIENT_HELLO = 0x01;
const SERVER_NAME = 0x0000;
const HOST_NAME = 0x00;
/** A ClientHello spanning more than this many bytes of records is not worth waiting for. */
export const MAX_CLIENT_HELLO_BYTES = 16 * 1024;

/** Joins the handshake bytes of consecutive handshake records (a ClientHello may span several). */
function handshakeBytes(data: Buffer): { bytes: Buffer; complete: boolean } | null {
  const parts: Buffer[] = [];
  let offset = 0;
  let total = 0;
  let needed = -1;
  while (offset + 5 <= data.length) {
    if (data[offset] !== HANDSHAKE) return null;
    const length = data.readUInt16BE(offset + 3);
    if (offset + 5 + length > data.length) break;
    parts.push(data.subarray(offset + 5, offset + 5 + length));
    total += length;
    offset += 5 + length;
    if (needed === -1 && total >= 4) {
      const joined = Buffer.concat(parts);
      if (joined[0] !== CLIENT_HELLO) return null;
      needed = 4 + joined.readUIntBE(1, 3);
    }
    if (needed !== -1 && total >= needed) return { bytes: Buffer.concat(parts).subarray(0, needed), complete: true };
  }
  if (data.length >= 1 && data[0] !== HANDSHAKE) return null;
  return { bytes: Buffer.concat(parts), complete: false };
}

export function scanClientHello(data: Buffer): ClientHelloScan {
  const handshake = handshakeBytes(data);
  if (handshake === null) return { state: "not-tls" };
  if (!handshake.complete) return data.length >= MAX_CLIENT_HELLO_BYTES ? { state: "not-tls" } : { state: "incomplete" };
  try {
    return { state: "done", serverName: serverNameOf(handshake.bytes) };
  } catch {
    return { state: "not-tls" }; // read past the end: malformed
  }
}

function serverNameOf(hello: Buffer): string | null {
  let offset = 4 + 2 + 32; // handshake header, client version, random
  offset += 1 + hello.readUInt8(offset); // session id
  offset += 2 + hello.readUInt16BE(offset); // cipher suites
  offset += 1 + hello.readUInt8(offset); // compression methods
  if (offset === hello.length) return null; // no extensions at all
  const end = offset + 2 + hello.readUInt16BE(offset);
  offset += 2;
  while (offset + 4 <= end) {
    const type = hello.readUInt16BE(offset);
    const length = hello.readUInt16BE(offset + 2);
    offset += 4;
    if (type === SERVER_NAME) {
      let item = offset + 2;
      const listEnd = item + hello.readUInt16BE(offset);
      while (item + 3 <= listEnd) {
        const nameType = hello.readUInt8(item);
        const nameLength = hello.readUInt16BE(item + 1);
        if (nameType === HOST_NAME) {
          if (item + 3 + nameLength > hello.length) throw new RangeError("server name past the end");
          return hello.toString("latin1", item + 3, item + 3 + nameLength).toLowerCase();
        }
        item += 3 + nameLength;
      }
      return null;
    }
    offset += length;
  }
  return null;
}
