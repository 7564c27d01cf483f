import { randomInt } from "node:crypto";
import net from "node:net";
import { DnsProviderFailure } from "../dns-provider";
import { signMessage, TSIG_ERROR, type TsigKey, tsigError } from "./tsig";
import { CLASS, HEADER_BYTES, OPCODE_UPDATE, readReply, TYPE, txtData, WireWriter } from "./wire";

export interface UpdateServer {
  host: string;
  port: number;
  key: TsigKey;
}

export interface TxtChange {
  action: "add" | "delete";
  zone: string;
  fqdn: string;
  value: string;
}

/** Short, so that resolvers do not keep a challenge answer long after it is gone. */
const CHALLENGE_TTL_SECONDS = 60;
const TIMEOUT_MS = 15_000;

const RCODE = { NOERROR: 0, SERVFAIL: 2, NOTIMP: 4, REFUSED: 5, NOTAUTH: 9, NOTZONE: 10 } as const;

/** Adds or deletes one TXT value by an RFC 2136 update signed with TSIG, over TCP. */
export async function sendTxtChange(server: UpdateServer, change: TxtChange, now = new Date()): Promise<void> {
  const id = randomInt(0x10000);
  // Class NONE deletes only the record with exactly this data (RFC 2136 section 2.5.4).
  const update = change.action === "add" ? { klass: CLASS.IN, ttl: CHALLENGE_TTL_SECONDS } : { klass: CLASS.NONE, ttl: 0 };
  const message = new WireWriter()
    .u16(id)
    .u16(OPCODE_UPDATE << 11)
    .u16(1) // zone
    .u16(0) // prerequisites
    .u16(1) // updates
    .u16(0) // additional: TSIG, counted when signing
    .name(change.zone)
    .u16(TYPE.SOA)
    .u16(CLASS.IN)
    .record(change.fqdn, TYPE.TXT, update.klass, update.ttl, txtData(change.value))
    .toBuffer();
  const where = `the DNS server at ${displayServer(server)}`;
  const reply = await exchange(server, signMessage(message, server.key, now), where);
  let parsed: ReturnType<typeof readReply>;
  try {
    parsed = readReply(reply);
  } catch (error) {
    throw new DnsProviderFailure(`${capitalize(where)} sent a reply that is not DNS`, (error as Error).message);
  }
  if (parsed.id !== id) throw new DnsProviderFailure(`${capitalize(where)} answered a different question`);
  const tsig = parsed.records.find((candidate) => candidate.type === TYPE.TSIG);
  const failure = plainFailure(parsed.rcode, tsig ? tsigError(reply, tsig) : 0, server, change, where);
  if (failure) throw failure;
}

function plainFailure(rcode: number, tsigCode: number, server: UpdateServer, change: TxtChange, where: string): DnsProviderFailure | null {
  const key = `"${server.key.name}"`;
  const code = `DNS answer code ${rcode}${tsigCode ? `, TSIG error ${tsigCode}` : ""}`;
  if (rcode === RCODE.NOERROR) return null;
  if (tsigCode === TSIG_ERROR.BADSIG)
    return new DnsProviderFailure(`${capitalize(where)} rejected the signature: the TSIG secret of key ${key} does not match the server's`, code);
  if (tsigCode === TSIG_ERROR.BADKEY)
    return new DnsProviderFailure(
      `${capitalize(where)} does not know the TSIG key ${key} with algorithm ${server.key.algorithm}: check the key's name and algorithm`,
      code,
    );
  if (tsigCode === TSIG_ERROR.BADTIME)
    return new DnsProviderFailure(
      `${capitalize(where)} rejected the update's time: this machine's clock and the server's differ by more than 5 minutes`,
      code,
    );
  switch (rcode) {
    case RCODE.REFUSED:
      return new DnsProviderFailure(
        `${capitalize(where)} refused to change ${change.zone}: allow key ${key} to update the zone (allow-update or update-policy)`,
        code,
      );
    case RCODE.NOTAUTH:
      return new DnsProviderFailure(
        `${capitalize(where)} is not the primary server of ${change.zone}: point the provider at the zone's primary`,
        code,
      );
    case RCODE.NOTZONE:
      return new DnsProviderFailure(`${change.fqdn} is not in the zone ${change.zone} that ${where} serves`, code);
    case RCODE.NOTIMP:
      return new DnsProviderFailure(`${capitalize(where)} does not accept dynamic updates (RFC 2136)`, code);
    default:
      return new DnsProviderFailure(`${capitalize(where)} could not apply the update`, code);
  }
}

/** One request and its reply over TCP, each with its two-byte length in front. */
function exchange(server: UpdateServer, request: Buffer, where: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: server.host, port: server.port });
    const chunks: Buffer[] = [];
    let received = 0;
    const fail = (message: string, detail?: string) => {
      socket.destroy();
      reject(new DnsProviderFailure(message, detail));
    };
    socket.setTimeout(TIMEOUT_MS, () => fail(`${capitalize(where)} did not answer within ${TIMEOUT_MS / 1000} seconds`));
    socket.on("error", (error: NodeJS.ErrnoException) => fail(`Could not reach ${where}`, error.code ?? error.message));
    socket.on("connect", () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(request.length);
      socket.write(Buffer.concat([length, request]));
    });
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      const whole = Buffer.concat(chunks, received);
      if (whole.length >= 2 && whole.length >= 2 + whole.readUInt16BE(0)) {
        socket.end();
        resolve(whole.subarray(2, 2 + whole.readUInt16BE(0)));
      }
    });
    socket.on("end", () => {
      if (received < 2 + HEADER_BYTES) fail(`${capitalize(where)} closed the connection without answering`);
    });
  });
}

function displayServer(server: UpdateServer): string {
  return net.isIPv6(server.host) ? `[${server.host}]:${server.port}` : `${server.host}:${server.port}`;
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
