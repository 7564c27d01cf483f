import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

/** The name every target is reached by: it resolves to 127.0.0.1, and wrk and h2load send it as SNI. */
export const BENCH_HOSTNAME = "localhost";
/** The product's second site, the same upstream with the cache on: reached by sending this Host. */
export const CACHED_HOSTNAME = "cached.localhost";

export interface BenchCertificate {
  certPath: string;
  keyPath: string;
  certificatePem: string;
  privateKeyPem: string;
}

/** One EC P-256 self-signed certificate for BENCH_HOSTNAME, served by the product and every peer alike. */
export function makeBenchCertificate(dir: string): BenchCertificate {
  const certPath = path.join(dir, "cert.pem");
  const keyPath = path.join(dir, "key.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "2",
      "-subj",
      `/CN=${BENCH_HOSTNAME}`,
      "-addext",
      `subjectAltName=DNS:${BENCH_HOSTNAME}`,
      "-keyout",
      keyPath,
      "-out",
      certPath,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  return { certPath, keyPath, certificatePem: readFileSync(certPath, "utf8"), privateKeyPem: readFileSync(keyPath, "utf8") };
}
