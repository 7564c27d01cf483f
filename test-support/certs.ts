import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface TestCertificate {
  /** The names in the certificate's subjectAltName, first one also its CN. */
  domains: string[];
  certificatePem: string;
  chainPem: string;
  privateKeyPem: string;
}

/** The key types people upload: EC keys from modern tooling, RSA from everything older. */
export type TestKeyType = "ec-p256" | "ec-p384" | "rsa-2048" | "rsa-3072" | "rsa-4096";

const KEY_ARGS: Record<TestKeyType, string[]> = {
  "ec-p256": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
  "ec-p384": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"],
  "rsa-2048": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
  "rsa-3072": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072"],
  "rsa-4096": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:4096"],
};

/**
 * Real certificates made with the openssl CLI (P-256 keys unless asked otherwise: fast to
 * generate), in a private temp directory. Call cleanup() in afterAll.
 */
export class TestCertificateFactory {
  private readonly dir = mkdtempSync(path.join(tmpdir(), "proxy-test-certs-"));
  private counter = 0;
  private ca: { certPath: string; keyPath: string; pem: string } | null = null;

  private file(name: string): string {
    this.counter += 1;
    return path.join(this.dir, `${this.counter}-${name}`);
  }

  private openssl(args: string[]): void {
    execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  }

  private newKey(keyType: TestKeyType = "ec-p256"): string {
    const keyPath = this.file("key.pem");
    this.openssl(["genpkey", ...KEY_ARGS[keyType], "-out", keyPath]);
    return keyPath;
  }

  /** A self-signed certificate for these names (wildcards allowed, e.g. "*.example.test"). */
  selfSigned(domains: string[], keyType?: TestKeyType): TestCertificate {
    const keyPath = this.newKey(keyType);
    const certPath = this.file("cert.pem");
    this.openssl([
      "req",
      "-x509",
      "-new",
      "-key",
      keyPath,
      "-days",
      "2",
      "-subj",
      `/CN=${domains[0]}`,
      "-addext",
      `subjectAltName=${domains.map((d) => `DNS:${d}`).join(",")}`,
      "-out",
      certPath,
    ]);
    return {
      domains,
      certificatePem: readFileSync(certPath, "utf8"),
      chainPem: "",
      privateKeyPem: readFileSync(keyPath, "utf8"),
    };
  }

  /** A certificate issued by a test CA, with the CA certificate as its chain. */
  caSigned(domains: string[], days = 2, revocation = false, keyType?: TestKeyType): TestCertificate & { caPem: string } {
    const ca = this.testCa();
    const keyPath = this.newKey(keyType);
    const csrPath = this.file("req.csr");
    const extPath = this.file("ext.cnf");
    const certPath = this.file("cert.pem");
    this.openssl(["req", "-new", "-key", keyPath, "-subj", `/CN=${domains[0]}`, "-out", csrPath]);
    // Public CAs name where revocation is published; auditors (testssl.sh) expect it.
    const published = revocation
      ? "crlDistributionPoints=URI:http://crl.example.test/ca.crl\nauthorityInfoAccess=OCSP;URI:http://ocsp.example.test\n"
      : "";
    writeFileSync(extPath, `subjectAltName=${domains.map((d) => `DNS:${d}`).join(",")}\n${published}`);
    this.openssl([
      "x509",
      "-req",
      "-in",
      csrPath,
      "-CA",
      ca.certPath,
      "-CAkey",
      ca.keyPath,
      "-CAcreateserial",
      "-days",
      String(days),
      "-extfile",
      extPath,
      "-out",
      certPath,
    ]);
    return {
      domains,
      certificatePem: readFileSync(certPath, "utf8"),
      chainPem: ca.pem,
      privateKeyPem: readFileSync(keyPath, "utf8"),
      caPem: ca.pem,
    };
  }

  /** A valid certificate paired with somebody else's private key. */
  mismatchedKey(domains: string[]): TestCertificate {
    const good = this.selfSigned(domains);
    return { ...good, privateKeyPem: readFileSync(this.newKey(), "utf8") };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private testCa(): { certPath: string; keyPath: string; pem: string } {
    if (this.ca) return this.ca;
    const keyPath = this.newKey();
    const certPath = this.file("ca.pem");
    this.openssl([
      "req",
      "-x509",
      "-new",
      "-key",
      keyPath,
      "-days",
      "400",
      "-subj",
      "/CN=Proxy Test CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
      "-out",
      certPath,
    ]);
    this.ca = { certPath, keyPath, pem: readFileSync(certPath, "utf8") };
    return this.ca;
  }
}
