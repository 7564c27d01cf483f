/**
 * Test-only: a real root -> intermediate -> leaf hierarchy made with @peculiar/x509, so the
 * tests exercise genuine signatures rather than mocks. Not imported by production code.
 */
import { KeyObject, webcrypto, X509Certificate } from "node:crypto";
import { toPem } from "../pem";
import { x509 } from "../x509-lib";

const ECDSA = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface Issued {
  cert: X509Certificate;
  certificatePem: string;
  privateKeyPem: string;
  keys: CryptoKeyPair;
}

export interface IssueOptions {
  notBefore?: Date;
  notAfter?: Date;
  /** Omit the SAN extension, like certificates from before 2017 that named the host only in the CN. */
  withoutSan?: boolean;
  organization?: string;
}

let serial = 0x1000;

async function newKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ECDSA, true, ["sign", "verify"])) as CryptoKeyPair;
}

function subject(commonName: string, organization?: string): Record<string, string[]>[] {
  return organization === undefined ? [{ CN: [commonName] }] : [{ O: [organization] }, { CN: [commonName] }];
}

async function finish(cert: x509.X509Certificate, keys: CryptoKeyPair): Promise<Issued> {
  const certificatePem = toPem("CERTIFICATE", new Uint8Array(cert.rawData));
  const privateKeyPem = String(KeyObject.from(keys.privateKey as webcrypto.CryptoKey).export({ type: "pkcs8", format: "pem" }));
  return { cert: new X509Certificate(certificatePem), certificatePem, privateKeyPem, keys };
}

function validity(options: IssueOptions) {
  const now = Date.now();
  return {
    notBefore: options.notBefore ?? new Date(now - DAY_MS),
    notAfter: options.notAfter ?? new Date(now + 90 * DAY_MS),
  };
}

export async function makeRoot(commonName: string, options: IssueOptions = {}): Promise<Issued> {
  const keys = await newKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: (serial++).toString(16),
    name: subject(commonName, options.organization),
    ...validity(options),
    keys,
    signingAlgorithm: ECDSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return finish(cert, keys);
}

async function issue(issuer: Issued, commonName: string, extensions: x509.Extension[], options: IssueOptions): Promise<Issued> {
  const keys = await newKeys();
  const issuerCert = new x509.X509Certificate(issuer.certificatePem);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: (serial++).toString(16),
    subject: subject(commonName, options.organization),
    issuer: issuerCert.subject,
    ...validity(options),
    publicKey: keys.publicKey,
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: ECDSA,
    extensions: [
      ...extensions,
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.keys.publicKey),
    ],
  });
  return finish(cert, keys);
}

export function makeIntermediate(issuer: Issued, commonName: string, options: IssueOptions = {}): Promise<Issued> {
  return issue(
    issuer,
    commonName,
    [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
    options,
  );
}

export function makeLeaf(issuer: Issued, domains: string[], options: IssueOptions = {}): Promise<Issued> {
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
  ];
  if (!options.withoutSan) {
    extensions.push(new x509.SubjectAlternativeNameExtension(domains.map((value) => ({ type: "dns" as const, value }))));
  }
  return issue(issuer, domains[0] ?? "leaf", extensions, options);
}

export interface Pki {
  root: Issued;
  intermediate: Issued;
  leaf: Issued;
}

/** Root "Test Root CA" -> intermediate "Test Issuing CA" (O=Test Trust) -> leaf for the given domains. */
export async function makePki(domains: string[] = ["example.com", "www.example.com"]): Promise<Pki> {
  const root = await makeRoot("Test Root CA", { organization: "Test Trust" });
  const intermediate = await makeIntermediate(root, "Test Issuing CA", { organization: "Test Trust" });
  const leaf = await makeLeaf(intermediate, domains);
  return { root, intermediate, leaf };
}
