import { X509Certificate } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { TestCertificateFactory } from "@/test-support/certs";
import { splitIssuedChain } from "./issued-chain";

const certs = new TestCertificateFactory();
afterAll(() => certs.cleanup());

describe("splitIssuedChain", () => {
  it("puts the first certificate in the leaf and the rest, in order, in the chain", () => {
    const issued = certs.caSigned(["shop.test", "www.shop.test"]);
    const other = certs.selfSigned(["other.test"]);
    const split = splitIssuedChain(`${issued.certificatePem}\n${issued.caPem}${other.certificatePem}`);
    expect(new X509Certificate(split.certificatePem).subjectAltName).toBe("DNS:shop.test, DNS:www.shop.test");
    const chain = split.chainPem.split(/(?<=-----END CERTIFICATE-----\n)/).filter(Boolean);
    expect(chain.map((pem) => new X509Certificate(pem).subject)).toEqual(["CN=Proxy Test CA", "CN=other.test"]);
  });

  it("gives an empty chain for a lone certificate, and normalizes CRLF", () => {
    const single = certs.selfSigned(["one.test"]);
    const split = splitIssuedChain(single.certificatePem.replace(/\n/g, "\r\n"));
    expect(split.chainPem).toBe("");
    expect(split.certificatePem).not.toContain("\r");
    expect(new X509Certificate(split.certificatePem).subject).toBe("CN=one.test");
  });

  it("refuses an answer without a certificate", () => {
    expect(() => splitIssuedChain("<html>502 Bad Gateway</html>")).toThrow(/no certificate/);
  });
});
