/** Labels we give meaning to; any other label still parses and is reported by name. */
export type PemLabel =
  | "CERTIFICATE"
  | "X509 CERTIFICATE"
  | "TRUSTED CERTIFICATE"
  | "PRIVATE KEY"
  | "RSA PRIVATE KEY"
  | "EC PRIVATE KEY"
  | "DSA PRIVATE KEY"
  | "ENCRYPTED PRIVATE KEY"
  | "OPENSSH PRIVATE KEY"
  | "PUBLIC KEY"
  | "RSA PUBLIC KEY"
  | "CERTIFICATE REQUEST"
  | "NEW CERTIFICATE REQUEST"
  | "EC PARAMETERS"
  | "DH PARAMETERS"
  | (string & {});

export type PemBlockKind =
  | "certificate"
  | "private-key"
  | "encrypted-private-key"
  | "openssh-private-key"
  | "public-key"
  | "certificate-request"
  | "parameters"
  | "other";

export interface PemBlock {
  label: PemLabel;
  kind: PemBlockKind;
  /** RFC 1421 headers such as Proc-Type / DEK-Info, which mark legacy encrypted keys. */
  headers: Readonly<Record<string, string>>;
  der: Buffer;
}

export type PemProblem =
  | { type: "missing-end"; label: PemLabel }
  | { type: "missing-begin"; label: PemLabel }
  | { type: "mismatched-end"; label: PemLabel; endLabel: string }
  | { type: "bad-base64"; label: PemLabel };

export type PemParseResult =
  | { kind: "empty" }
  | { kind: "pem"; blocks: PemBlock[] }
  | { kind: "malformed"; problem: PemProblem }
  /** Base64 with no BEGIN/END lines: someone copied only the middle of a PEM file. */
  | { kind: "base64"; der: Buffer }
  /** Raw DER bytes read as text: a .der/.cer file opened in a text editor. */
  | { kind: "binary" }
  | { kind: "not-pem" };

// Chat tools and web forms sometimes fold a PEM onto one line, so the markers are
// matched anywhere rather than only at line starts.
const MARKER = /-----\s*(BEGIN|END)\s+([A-Z0-9][A-Z0-9 ]*?)\s*-----/g;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
// U+FFFD appears when binary bytes were decoded as UTF-8 before reaching us.
const BINARY = /[\u0000-\u0008\u000E-\u001F\uFFFD]/;
const ASN1_SEQUENCE = 0x30;

export function blockKind(label: string, headers: Readonly<Record<string, string>>): PemBlockKind {
  const procType = headers["proc-type"] ?? "";
  if (/ENCRYPTED/i.test(procType) || label === "ENCRYPTED PRIVATE KEY") return "encrypted-private-key";
  switch (label) {
    case "CERTIFICATE":
    case "X509 CERTIFICATE":
    case "TRUSTED CERTIFICATE":
      return "certificate";
    case "PRIVATE KEY":
    case "RSA PRIVATE KEY":
    case "EC PRIVATE KEY":
    case "DSA PRIVATE KEY":
      return "private-key";
    case "OPENSSH PRIVATE KEY":
      return "openssh-private-key";
    case "PUBLIC KEY":
    case "RSA PUBLIC KEY":
      return "public-key";
    case "CERTIFICATE REQUEST":
    case "NEW CERTIFICATE REQUEST":
      return "certificate-request";
    default:
      return label.endsWith(" PARAMETERS") ? "parameters" : "other";
  }
}

function parseBody(label: string, body: string): PemBlock | null {
  const lines = body.split("\n");
  const headers: Record<string, string> = {};
  let i = 0;
  let lastHeader: string | null = null;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const header = /^\s*([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
    if (header?.[1] !== undefined) {
      lastHeader = header[1].toLowerCase();
      headers[lastHeader] = (header[2] ?? "").trim();
    } else if (lastHeader !== null && /^[ \t]+\S/.test(line)) {
      headers[lastHeader] = (headers[lastHeader] ?? "") + line.trim();
    } else if (line.trim() === "" && i === 0) {
      // A blank line before the headers: skipped.
    } else {
      break;
    }
  }
  const base64 = lines.slice(i).join("").replace(/\s+/g, "");
  if (base64.length === 0 || base64.length % 4 !== 0 || !BASE64.test(base64)) return null;
  return { label, kind: blockKind(label, headers), headers, der: Buffer.from(base64, "base64") };
}

function withoutHeaders(text: string): PemParseResult {
  if (BINARY.test(text)) return { kind: "binary" };
  const compact = text.replace(/\s+/g, "");
  if (compact.length >= 64 && compact.length % 4 === 0 && BASE64.test(compact)) {
    const der = Buffer.from(compact, "base64");
    if (der[0] === ASN1_SEQUENCE) return { kind: "base64", der };
  }
  return { kind: "not-pem" };
}

/** Splits pasted PEM text into blocks, ignoring text around them (openssl -text output, Bag Attributes). */
export function parsePem(text: string): PemParseResult {
  const normalized = text.replace(/\r\n?/g, "\n");
  if (normalized.trim() === "") return { kind: "empty" };

  const blocks: PemBlock[] = [];
  let open: { label: string; bodyStart: number } | null = null;
  for (const match of normalized.matchAll(MARKER)) {
    const [whole, which, label = ""] = match;
    const at = match.index;
    if (which === "BEGIN") {
      if (open) return { kind: "malformed", problem: { type: "missing-end", label: open.label } };
      open = { label, bodyStart: at + whole.length };
      continue;
    }
    if (!open) return { kind: "malformed", problem: { type: "missing-begin", label } };
    if (label !== open.label) {
      return { kind: "malformed", problem: { type: "mismatched-end", label: open.label, endLabel: label } };
    }
    const block = parseBody(label, normalized.slice(open.bodyStart, at));
    if (!block) return { kind: "malformed", problem: { type: "bad-base64", label } };
    blocks.push(block);
    open = null;
  }
  if (open) return { kind: "malformed", problem: { type: "missing-end", label: open.label } };
  if (blocks.length === 0) return withoutHeaders(normalized);
  return { kind: "pem", blocks };
}

/** Canonical PEM: LF line endings, 64-column body, trailing newline. */
export function toPem(label: PemLabel, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString("base64");
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}
