import { createHmac } from "node:crypto";
import { CLASS, readName, type ReplyRecord, TYPE, WireWriter } from "./wire";

/** The TSIG algorithms of RFC 8945, by the names BIND's `tsig-keygen -a` takes. */
export const TSIG_ALGORITHMS = ["hmac-sha256", "hmac-sha512", "hmac-sha384", "hmac-sha224", "hmac-sha1", "hmac-md5"] as const;
export type TsigAlgorithm = (typeof TSIG_ALGORITHMS)[number];

/** How each algorithm is named on the wire (MD5 kept its old, longer name). */
const WIRE_NAME = (algorithm: TsigAlgorithm) => (algorithm === "hmac-md5" ? "hmac-md5.sig-alg.reg.int" : algorithm);

export interface TsigKey {
  name: string;
  algorithm: TsigAlgorithm;
  secret: Buffer;
}

/** How far the server's clock may be from ours (the RFC's recommended 300 s). */
const FUDGE_SECONDS = 300;

/** TSIG errors a server puts in its TSIG record (RFC 8945 section 5.3). */
export const TSIG_ERROR = { BADSIG: 16, BADKEY: 17, BADTIME: 18, BADTRUNC: 22 } as const;

/** The message with a TSIG record appended (and counted), signed with the key. */
export function signMessage(message: Buffer, key: TsigKey, now: Date): Buffer {
  const timeSigned = Math.floor(now.getTime() / 1000);
  const algorithm = WIRE_NAME(key.algorithm);
  // The MAC covers the message as sent without TSIG, then TSIG's fields in canonical form.
  const variables = new WireWriter()
    .name(key.name)
    .u16(CLASS.ANY)
    .u32(0)
    .name(algorithm)
    .u48(timeSigned)
    .u16(FUDGE_SECONDS)
    .u16(0) // error
    .u16(0) // other data length
    .toBuffer();
  const mac = createHmac(key.algorithm.slice("hmac-".length), key.secret).update(message).update(variables).digest();
  const data = new WireWriter()
    .name(algorithm)
    .u48(timeSigned)
    .u16(FUDGE_SECONDS)
    .u16(mac.length)
    .bytes(mac)
    .u16(message.readUInt16BE(0)) // original id
    .u16(0)
    .u16(0)
    .toBuffer();
  const signed = Buffer.concat([message, new WireWriter().record(key.name, TYPE.TSIG, CLASS.ANY, 0, data).toBuffer()]);
  signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
  return signed;
}

/** The error a server's TSIG record reports (0 when none), read from the whole reply. */
export function tsigError(reply: Buffer, record: ReplyRecord): number {
  const { end } = readName(reply, record.dataOffset);
  const macSize = reply.readUInt16BE(end + 8);
  return reply.readUInt16BE(end + 10 + macSize + 2);
}
