import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import tls from "node:tls";
import * as acme from "acme-client";
import { parsePem, toPem } from "../certs/pem";
import type { AcmeEnv } from "./acme-env";
import { recordConnectionErrors } from "./problem-capture";

/** ACME_CA_FILE is set but cannot be used; the message names the file and says why. */
export class CaFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CaFileError";
  }
}

/** The certificates in ACME_CA_FILE as PEM, or [] when it is not set; throws CaFileError. */
export function extraCaCertificates(env: AcmeEnv = process.env): string[] {
  const file = env.ACME_CA_FILE?.trim();
  if (!file) return [];
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CaFileError(`ACME_CA_FILE (${file}) could not be read (${code}): point it at a PEM file with the ACME server's CA certificate`);
  }
  const parsed = parsePem(text);
  const certificates = parsed.kind === "pem" ? parsed.blocks.filter((block) => block.kind === "certificate") : [];
  if (certificates.length === 0) {
    throw new CaFileError(`ACME_CA_FILE (${file}) holds no PEM certificate: it must contain "-----BEGIN CERTIFICATE-----" blocks`);
  }
  return certificates.map((block) => toPem("CERTIFICATE", block.der));
}

/**
 * Points acme-client's HTTP client at the trust store for the ACME server's own HTTPS: Node's
 * default roots plus ACME_CA_FILE. Read again for every order, so a fixed file needs no restart.
 */
export function configureCaTrust(env: AcmeEnv = process.env): void {
  const extra = extraCaCertificates(env);
  acme.axios.defaults.httpsAgent = new RecordingHttpsAgent(extra.length > 0 ? { ca: [...tls.rootCertificates, ...extra] } : {});
  acme.axios.defaults.httpAgent = new RecordingHttpAgent();
}

// Agents whose sockets report connection errors to the running order (see problem-capture.ts).
class RecordingHttpsAgent extends https.Agent {
  override createConnection(...args: Parameters<https.Agent["createConnection"]>): ReturnType<https.Agent["createConnection"]> {
    return recordConnectionErrors(super.createConnection(...args));
  }
}

class RecordingHttpAgent extends http.Agent {
  override createConnection(...args: Parameters<http.Agent["createConnection"]>): ReturnType<http.Agent["createConnection"]> {
    return recordConnectionErrors(super.createConnection(...args));
  }
}
