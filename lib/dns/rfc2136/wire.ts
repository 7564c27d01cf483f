/**
 * Just enough of the DNS wire format (RFC 1035) for dynamic updates: writing names and resource
 * records without compression, and reading a reply's header and records (which may be compressed).
 */

export const TYPE = { SOA: 6, TXT: 16, TSIG: 250 } as const;
export const CLASS = { IN: 1, NONE: 254, ANY: 255 } as const;
export const OPCODE_UPDATE = 5;
export const HEADER_BYTES = 12;

export class WireWriter {
  private readonly parts: Buffer[] = [];

  u8(value: number): this {
    this.parts.push(Buffer.from([value]));
    return this;
  }

  u16(value: number): this {
    const part = Buffer.alloc(2);
    part.writeUInt16BE(value);
    this.parts.push(part);
    return this;
  }

  u32(value: number): this {
    const part = Buffer.alloc(4);
    part.writeUInt32BE(value);
    this.parts.push(part);
    return this;
  }

  /** A 48-bit unsigned integer (TSIG's time signed). */
  u48(value: number): this {
    const part = Buffer.alloc(6);
    part.writeUIntBE(value, 0, 6);
    this.parts.push(part);
    return this;
  }

  bytes(value: Buffer): this {
    this.parts.push(value);
    return this;
  }

  /** A name as length-prefixed labels, lower case (TSIG signs names in canonical form). */
  name(name: string): this {
    for (const label of name.replace(/\.$/, "").split(".").filter(Boolean)) {
      const bytes = Buffer.from(label.toLowerCase(), "ascii");
      if (bytes.length > 63) throw new RangeError(`The DNS label "${label}" is longer than 63 characters`);
      this.u8(bytes.length).bytes(bytes);
    }
    return this.u8(0);
  }

  /** A resource record: name, type, class, TTL, then its data with the data's length in front. */
  record(name: string, type: number, klass: number, ttl: number, data: Buffer): this {
    return this.name(name).u16(type).u16(klass).u32(ttl).u16(data.length).bytes(data);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** TXT data: the value as character-strings of at most 255 bytes each. */
export function txtData(value: string): Buffer {
  const bytes = Buffer.from(value, "utf8");
  const writer = new WireWriter();
  for (let offset = 0; offset < bytes.length || offset === 0; offset += 255) {
    const chunk = bytes.subarray(offset, offset + 255);
    writer.u8(chunk.length).bytes(chunk);
  }
  return writer.toBuffer();
}

export interface ReplyRecord {
  name: string;
  type: number;
  klass: number;
  ttl: number;
  data: Buffer;
  /** Where the record's data starts in the whole message (names in it may point back). */
  dataOffset: number;
}

export interface Reply {
  id: number;
  rcode: number;
  /** Every record of every section after the zone (question) section, in order. */
  records: ReplyRecord[];
}

/** Reads a reply; throws RangeError when it is cut short or malformed. */
export function readReply(message: Buffer): Reply {
  if (message.length < HEADER_BYTES) throw new RangeError("The DNS reply is shorter than its header");
  const id = message.readUInt16BE(0);
  const rcode = message.readUInt16BE(2) & 0x0f;
  const [questions, ...counts] = [4, 6, 8, 10].map((offset) => message.readUInt16BE(offset)) as [number, number, number, number];
  let offset = HEADER_BYTES;
  for (let index = 0; index < questions; index++) offset = readName(message, offset).end + 4;
  const records: ReplyRecord[] = [];
  const total = counts.reduce((sum, count) => sum + count, 0);
  for (let index = 0; index < total; index++) {
    const { name, end } = readName(message, offset);
    if (end + 10 > message.length) throw new RangeError("A record of the DNS reply is cut short");
    const length = message.readUInt16BE(end + 8);
    const dataOffset = end + 10;
    if (dataOffset + length > message.length) throw new RangeError("A record's data in the DNS reply is cut short");
    records.push({
      name,
      type: message.readUInt16BE(end),
      klass: message.readUInt16BE(end + 2),
      ttl: message.readUInt32BE(end + 4),
      data: message.subarray(dataOffset, dataOffset + length),
      dataOffset,
    });
    offset = dataOffset + length;
  }
  return { id, rcode, records };
}

const MAX_POINTERS = 64;

/** A possibly compressed name at `offset`; `end` is where the bytes after it start. */
export function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let position = offset;
  let end = -1;
  for (let jumps = 0; ; ) {
    if (position >= message.length) throw new RangeError("A name in the DNS reply is cut short");
    const length = message[position]!;
    if ((length & 0xc0) === 0xc0) {
      if (++jumps > MAX_POINTERS || position + 1 >= message.length) throw new RangeError("A name in the DNS reply loops");
      if (end === -1) end = position + 2;
      position = ((length & 0x3f) << 8) | message[position + 1]!;
      continue;
    }
    if (length === 0) break;
    labels.push(message.toString("ascii", position + 1, position + 1 + length));
    position += 1 + length;
  }
  return { name: labels.join("."), end: end === -1 ? position + 1 : end };
}
