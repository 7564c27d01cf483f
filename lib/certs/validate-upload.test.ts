import { createPrivateKey, createPublicKey, generateKeyPairSync, webcrypto } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { toPem } from "./pem";
import { generateSelfSigned } from "./self-signed";
import { makeIntermediate, makeLeaf, makePki, type Issued, type Pki } from "./testing/pki";
import { validateUpload, type UploadErrors, type UploadInput, type UploadOptions } from "./validate-upload";
import { x509 } from "./x509-lib";

const DAY_MS = 86_400_000;

let pki: Pki;
let other: Pki;
let selfSigned: { certificatePem: string; privateKeyPem: string };
let csrPem: string;

beforeAll(async () => {
  pki = await makePki(["example.com", "www.example.com"]);
  other = await makePki(["example.org"]);
  selfSigned = await generateSelfSigned(["self.example.com"]);
  const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
  const keys = (await webcrypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: "CN=example.com", keys, signingAlgorithm: alg });
  csrPem = csr.toString("pem");
});

function upload(input: Partial<UploadInput>, options: UploadOptions = {}) {
  return validateUpload(
    {
      certificatePem: input.certificatePem ?? pki.leaf.certificatePem,
      privateKeyPem: input.privateKeyPem ?? pki.leaf.privateKeyPem,
      chainPem: "chainPem" in input ? input.chainPem : pki.intermediate.certificatePem,
    },
    options,
  );
}

function errorsOf(result: ReturnType<typeof validateUpload>): UploadErrors {
  if (result.ok) throw new Error("expected the upload to be refused");
  return result.errors;
}

function accepted(result: ReturnType<typeof validateUpload>) {
  if (!result.ok) throw new Error(`expected the upload to be accepted: ${JSON.stringify(result.errors)}`);
  return result;
}

function bodyOf(pem: string): string {
  return pem
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("-----"))
    .join("\n");
}

const notBefore = (issued: Issued) => new Date(issued.cert.validFrom);
const notAfter = (issued: Issued) => new Date(issued.cert.validTo);

describe("validateUpload: accepted uploads", () => {
  it("accepts leaf + key + chain, normalized, with no warnings", () => {
    const result = accepted(
      upload(
        {
          certificatePem: "\r\n  " + pki.leaf.certificatePem.replace(/\n/g, "\r\n") + "  \r\n",
          chainPem: pki.intermediate.certificatePem.replace(/\n/g, "\r\n"),
        },
        { hostnames: ["example.com", "WWW.example.com"] },
      ),
    );
    expect(result.warnings).toEqual([]);
    const { certificate } = result;
    expect(certificate.certificatePem).toBe(pki.leaf.certificatePem);
    expect(certificate.chainPem).toBe(pki.intermediate.certificatePem);
    expect(certificate.privateKeyPem).toBe(pki.leaf.privateKeyPem);
    expect(certificate.domains).toEqual(["example.com", "www.example.com"]);
    expect(certificate.issuer).toBe("Test Trust");
    expect(certificate.serialNumber).toBe(pki.leaf.cert.serialNumber);
    expect(certificate.notBefore).toEqual(notBefore(pki.leaf));
    expect(certificate.notAfter).toEqual(notAfter(pki.leaf));
  });

  it("converts a SEC1 (EC PRIVATE KEY) key to PKCS#8", () => {
    const sec1 = String(createPrivateKey(pki.leaf.privateKeyPem).export({ type: "sec1", format: "pem" }));
    expect(sec1).toContain("BEGIN EC PRIVATE KEY");
    expect(accepted(upload({ privateKeyPem: sec1 })).certificate.privateKeyPem).toBe(pki.leaf.privateKeyPem);
  });

  it("splits a fullchain.pem pasted in the certificate field into leaf and chain", () => {
    const fullchain = pki.leaf.certificatePem + "\n" + pki.intermediate.certificatePem + pki.root.certificatePem;
    const { certificate, warnings } = accepted(upload({ certificatePem: fullchain, chainPem: undefined }));
    expect(certificate.certificatePem).toBe(pki.leaf.certificatePem);
    expect(certificate.chainPem).toBe(pki.intermediate.certificatePem + pki.root.certificatePem);
    expect(warnings).toEqual([]);
  });

  it("does not repeat certificates given both in fullchain and in the chain field", () => {
    const fullchain = pki.leaf.certificatePem + pki.intermediate.certificatePem;
    const twice = accepted(upload({ certificatePem: fullchain, chainPem: pki.intermediate.certificatePem + pki.root.certificatePem }));
    expect(twice.certificate.chainPem).toBe(pki.intermediate.certificatePem + pki.root.certificatePem);
    // fullchain.pem pasted into the chain field repeats the leaf itself.
    const leafInChain = accepted(upload({ chainPem: fullchain }));
    expect(leafInChain.certificate.chainPem).toBe(pki.intermediate.certificatePem);
  });

  it("keeps the certificates of a combined certificate+key file and ignores its key", () => {
    const combined = pki.leaf.certificatePem + pki.leaf.privateKeyPem + pki.intermediate.certificatePem;
    const { certificate } = accepted(upload({ certificatePem: combined, chainPem: "" }));
    expect(certificate.certificatePem).toBe(pki.leaf.certificatePem);
    expect(certificate.chainPem).toBe(pki.intermediate.certificatePem);
  });
});

describe("validateUpload: the certificate field", () => {
  it("asks for a certificate when it is empty", () => {
    expect(errorsOf(upload({ certificatePem: "  \n " })).certificatePem).toMatch(
      /^Paste the certificate\. It starts with "-----BEGIN CERTIFICATE-----"/,
    );
  });

  it("says when the text is not PEM at all", () => {
    const message = errorsOf(upload({ certificatePem: "my certificate is at https://example.com" })).certificatePem;
    expect(message).toMatch(/^This is not a certificate in PEM format\./);
    expect(message).toContain("including those two lines");
  });

  it("says when a private key is pasted in the certificate field", () => {
    const errors = errorsOf(upload({ certificatePem: pki.leaf.privateKeyPem }));
    expect(errors.certificatePem).toMatch(/^This is a private key, not a certificate: it belongs in the Private key field\./);
    expect(errors.privateKeyPem).toBeUndefined();
  });

  it("says when a CSR is pasted instead of the certificate", () => {
    expect(errorsOf(upload({ certificatePem: csrPem })).certificatePem).toMatch(/certificate signing request \(CSR\), not a certificate/);
  });

  it("says when the BEGIN/END lines were left out", () => {
    expect(errorsOf(upload({ certificatePem: bodyOf(pki.leaf.certificatePem) })).certificatePem).toBe(
      'This looks like a certificate without its "-----BEGIN CERTIFICATE-----" and "-----END CERTIFICATE-----" lines. Paste the whole file, including those two lines.',
    );
  });

  it("says how to convert a binary DER file", () => {
    expect(errorsOf(upload({ certificatePem: pki.leaf.cert.raw.toString("latin1") })).certificatePem).toContain(
      "openssl x509 -inform der -in certificate.der -out certificate.pem",
    );
  });

  it("says when the text was cut off while copying", () => {
    const cut = pki.leaf.certificatePem.split("\n").slice(0, 4).join("\n");
    expect(errorsOf(upload({ certificatePem: cut })).certificatePem).toMatch(/"-----END CERTIFICATE-----" line is missing/);
  });

  it("says when the block is intact but holds no certificate", () => {
    const bogus = toPem("CERTIFICATE", Buffer.from("this is not DER at all, just words"));
    expect(errorsOf(upload({ certificatePem: bogus })).certificatePem).toMatch(/^The certificate could not be read/);
    const second = pki.leaf.certificatePem + bogus;
    expect(errorsOf(upload({ certificatePem: second })).certificatePem).toMatch(/^Certificate number 2 of 2 could not be read/);
  });

  it("says when the site's certificate is not first in a fullchain", () => {
    const reversed = pki.intermediate.certificatePem + pki.leaf.certificatePem;
    const errors = errorsOf(upload({ certificatePem: reversed, chainPem: undefined }));
    expect(errors.certificatePem).toBe(
      "Your site's certificate (for example.com) must come first in this field, followed by the intermediate certificates. Here it is number 2 of 2: move it to the top.",
    );
    expect(errors.privateKeyPem).toBeUndefined();
  });

  it("says when the certificate and the chain were swapped", () => {
    const errors = errorsOf(upload({ certificatePem: pki.intermediate.certificatePem, chainPem: pki.leaf.certificatePem }));
    expect(errors.certificatePem).toMatch(/The one that matches it \(for example\.com\) is in the Chain field/);
  });

  it("refuses an expired certificate, saying when it expired", () => {
    const now = new Date(notAfter(pki.leaf).getTime() + 3 * DAY_MS);
    const errors = errorsOf(upload({}, { now }));
    expect(errors.certificatePem).toBe(
      `This certificate expired on ${notAfter(pki.leaf).toISOString().slice(0, 16).replace("T", " ")} UTC (3 days ago). ` +
        "Browsers refuse expired certificates: renew it with the authority that issued it (Test Trust) and upload the new one.",
    );
    const justNow = new Date(notAfter(pki.leaf).getTime() + 1000);
    expect(errorsOf(upload({}, { now: justNow })).certificatePem).toContain("(less than a day ago)");
  });

  it("refuses a certificate that is not valid yet", () => {
    const now = new Date(notBefore(pki.leaf).getTime() - 60_000);
    expect(errorsOf(upload({}, { now })).certificatePem).toMatch(
      /^This certificate is not valid yet: it starts to be valid on \d{4}-\d\d-\d\d \d\d:\d\d UTC\./,
    );
  });
});

describe("validateUpload: the private key field", () => {
  it("asks for the key when it is empty, pointing at a key left in the certificate field", () => {
    expect(errorsOf(upload({ privateKeyPem: "" })).privateKeyPem).toMatch(/^Paste the private key\. It starts with/);
    const combined = pki.leaf.certificatePem + pki.leaf.privateKeyPem;
    expect(errorsOf(upload({ certificatePem: combined, privateKeyPem: "\n" })).privateKeyPem).toMatch(
      /The Certificate field contains a private key: move it here/,
    );
  });

  it("says when the text is not PEM", () => {
    expect(errorsOf(upload({ privateKeyPem: "hunter2" })).privateKeyPem).toMatch(/^This is not a private key in PEM format\./);
  });

  it("explains how to remove a passphrase (PKCS#8 and legacy OpenSSL formats)", () => {
    const key = createPrivateKey(pki.leaf.privateKeyPem);
    const pkcs8 = String(key.export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "secret" }));
    const legacy = String(key.export({ type: "sec1", format: "pem", cipher: "aes-256-cbc", passphrase: "secret" }));
    expect(pkcs8).toContain("ENCRYPTED PRIVATE KEY");
    expect(legacy).toContain("Proc-Type: 4,ENCRYPTED");
    for (const privateKeyPem of [pkcs8, legacy]) {
      const message = errorsOf(upload({ privateKeyPem })).privateKeyPem;
      expect(message).toMatch(/^This private key is protected with a passphrase, which is not supported\./);
      expect(message).toContain("openssl pkey -in encrypted.key -out plain.key");
    }
  });

  it("says when a certificate is pasted in the key field", () => {
    const errors = errorsOf(upload({ privateKeyPem: pki.leaf.certificatePem }));
    expect(errors.privateKeyPem).toMatch(/^This is a certificate, not a private key: it belongs in the Certificate field\./);
  });

  it("says when the key does not belong to the certificate", () => {
    const errors = errorsOf(upload({ privateKeyPem: other.leaf.privateKeyPem }));
    expect(errors.privateKeyPem).toMatch(/^This private key does not belong to the certificate for example\.com\./);
    expect(errors.certificatePem).toBeUndefined();
    // A key of another type (RSA for an ECDSA certificate) is a mismatch too, not a crash.
    const rsa = String(generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }));
    expect(rsa).toContain("BEGIN RSA PRIVATE KEY");
    expect(errorsOf(upload({ privateKeyPem: rsa })).privateKeyPem).toMatch(/does not belong/);
  });

  it("says when it holds a public key, a CSR, an SSH key or two keys", () => {
    const publicKey = String(createPublicKey(pki.leaf.privateKeyPem).export({ type: "spki", format: "pem" }));
    expect(errorsOf(upload({ privateKeyPem: publicKey })).privateKeyPem).toMatch(/^This is a public key\./);
    expect(errorsOf(upload({ privateKeyPem: csrPem })).privateKeyPem).toMatch(/CSR\), not a private key/);
    const ssh = toPem("OPENSSH PRIVATE KEY", Buffer.from("openssh-key-v1\0"));
    expect(errorsOf(upload({ privateKeyPem: ssh })).privateKeyPem).toMatch(/SSH key/);
    const two = pki.leaf.privateKeyPem + other.leaf.privateKeyPem;
    expect(errorsOf(upload({ privateKeyPem: two })).privateKeyPem).toBe(
      "This field holds 2 private keys. Paste only the one that belongs to this certificate.",
    );
  });

  it("says when the key block is intact but unreadable", () => {
    const bogus = toPem("PRIVATE KEY", Buffer.from("definitely not a key"));
    expect(errorsOf(upload({ privateKeyPem: bogus })).privateKeyPem).toMatch(/^The private key could not be read/);
  });
});

describe("validateUpload: the chain", () => {
  it("says when the chain is out of order, giving the right order", async () => {
    const errors = errorsOf(upload({ chainPem: pki.root.certificatePem + pki.intermediate.certificatePem }));
    expect(errors.chainPem).toBe(
      'The chain certificates are in the wrong order. Each certificate must be followed by the one that signed it; the right order after your certificate is: "Test Issuing CA", then "Test Root CA".',
    );
    const deeper = await makeIntermediate(pki.intermediate, "Test Deep CA");
    const deepLeaf = await makeLeaf(deeper, ["deep.example.com"]);
    const shuffled = pki.intermediate.certificatePem + deeper.certificatePem + pki.root.certificatePem;
    const deepErrors = errorsOf(upload({ certificatePem: deepLeaf.certificatePem, privateKeyPem: deepLeaf.privateKeyPem, chainPem: shuffled }));
    expect(deepErrors.chainPem).toMatch(/"Test Deep CA", then "Test Issuing CA", then "Test Root CA"\.$/);
  });

  it("blames the certificate field for an out-of-order fullchain", () => {
    const fullchain = pki.leaf.certificatePem + pki.root.certificatePem + pki.intermediate.certificatePem;
    const errors = errorsOf(upload({ certificatePem: fullchain, chainPem: undefined }));
    expect(errors.certificatePem).toMatch(/wrong order/);
    expect(errors.chainPem).toBeUndefined();
  });

  it("says when the chain belongs to another certificate", () => {
    const errors = errorsOf(upload({ chainPem: other.intermediate.certificatePem }));
    expect(errors.chainPem).toMatch(/^These certificates are not the chain of this certificate\. Your certificate was issued by "Test Trust"/);
  });

  it("says which extra certificates do not belong", () => {
    const errors = errorsOf(upload({ chainPem: pki.intermediate.certificatePem + other.root.certificatePem }));
    expect(errors.chainPem).toMatch(/does not belong to this certificate's chain: "Test Root CA"\. Remove it\.$/);
  });

  it("tells a self-signed certificate's owner to leave the chain empty", () => {
    const errors = errorsOf(upload({ ...selfSigned, chainPem: pki.intermediate.certificatePem }));
    expect(errors.chainPem).toBe("This certificate is self-signed, so it has no chain: leave the Chain field empty.");
  });

  it("says when the chain field holds a private key or garbage", () => {
    expect(errorsOf(upload({ chainPem: pki.intermediate.privateKeyPem })).chainPem).toMatch(/^This is a private key, not a certificate chain/);
    expect(errorsOf(upload({ chainPem: "intermediate goes here" })).chainPem).toMatch(/^This is not a chain in PEM format/);
  });
});

describe("validateUpload: several problems at once", () => {
  it("reports each field's own problem", () => {
    const errors = errorsOf(upload({ certificatePem: "x", privateKeyPem: "y", chainPem: "z" }));
    expect(Object.keys(errors).sort()).toEqual(["certificatePem", "chainPem", "privateKeyPem"]);
  });

  it("reports an expired certificate and a wrong key together", () => {
    const now = new Date(notAfter(pki.leaf).getTime() + 2 * DAY_MS);
    const errors = errorsOf(upload({ privateKeyPem: other.leaf.privateKeyPem }, { now }));
    expect(errors.privateKeyPem).toMatch(/does not belong/);
    expect(errors.certificatePem).toMatch(/expired/);
    const expiredOnly = errorsOf(upload({ privateKeyPem: "garbage" }, { now }));
    expect(expiredOnly.certificatePem).toMatch(/expired/);
    expect(expiredOnly.privateKeyPem).toMatch(/not a private key in PEM/);
  });
});

describe("validateUpload: warnings", () => {
  it("names the site hostnames the certificate does not cover", () => {
    const { warnings } = accepted(upload({}, { hostnames: ["example.com", "api.example.com", "*.example.com", "shop.example.org"] }));
    expect(warnings).toEqual([
      "This certificate does not cover api.example.com, *.example.com, shop.example.org: visitors to those addresses will see a security warning. It covers: example.com, www.example.com.",
    ]);
  });

  it("warns when the certificate expires within 30 days", () => {
    const now = new Date(notAfter(pki.leaf).getTime() - 10 * DAY_MS);
    expect(accepted(upload({}, { now })).warnings).toEqual([
      `This certificate expires in 10 days, on ${notAfter(pki.leaf).toISOString().slice(0, 16).replace("T", " ")} UTC. Renew it soon.`,
    ]);
    const lastDay = new Date(notAfter(pki.leaf).getTime() - 3_600_000);
    expect(accepted(upload({}, { now: lastDay })).warnings[0]).toMatch(/expires within a day/);
    const thirtyOne = new Date(notAfter(pki.leaf).getTime() - 31 * DAY_MS);
    expect(accepted(upload({}, { now: thirtyOne })).warnings).toEqual([]);
  });

  it("warns about a self-signed certificate", () => {
    const { warnings } = accepted(upload({ ...selfSigned, chainPem: undefined }));
    expect(warnings).toEqual([expect.stringMatching(/^This certificate is self-signed: browsers will warn visitors/)]);
  });

  it("warns when an issued certificate comes without its chain", () => {
    const { warnings } = accepted(upload({ chainPem: undefined }));
    expect(warnings).toEqual([expect.stringMatching(/^No chain \(intermediate certificates\) was given\. Unless "Test Trust"/)]);
  });

  it("warns about an expired certificate inside the chain", async () => {
    const past = Date.now() - 400 * DAY_MS;
    const oldIntermediate = await makeIntermediate(pki.root, "Old Issuing CA", {
      notBefore: new Date(past),
      notAfter: new Date(Date.now() - DAY_MS),
    });
    const leaf = await makeLeaf(oldIntermediate, ["old.example.com"]);
    const { warnings } = accepted(
      upload({ certificatePem: leaf.certificatePem, privateKeyPem: leaf.privateKeyPem, chainPem: oldIntermediate.certificatePem }),
    );
    expect(warnings).toEqual([expect.stringMatching(/^The chain certificate "Old Issuing CA" expired on/)]);
  });
});
