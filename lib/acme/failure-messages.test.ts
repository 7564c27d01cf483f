import { describe, expect, it } from "vitest";
import { CaFileError } from "./ca-trust";
import { describeAcmeFailure, retryAfterText, type FailureContext } from "./failure-messages";
import type { AcmeProblem } from "./problem-capture";

const LE = "https://acme-v02.api.letsencrypt.org/directory";
const PRIVATE = "https://ca.internal:9000/acme/dir";
const now = new Date("2026-03-01T12:00:00Z");
const context: FailureContext = { directoryUrl: LE, domains: ["shop.example.com", "www.shop.example.com"], email: "me@shop.example.com", now };
const problem = (type: string, detail: string, extra: Partial<AcmeProblem> = {}): AcmeProblem => ({
  type: `urn:ietf:params:acme:error:${type}`,
  detail,
  ...extra,
});
const networkError = (code: string, message = `connect ${code} 1.2.3.4:443`) => Object.assign(new Error(message), { code });

describe("describeAcmeFailure: the CA's problem documents in plain words", () => {
  it.each<[string, AcmeProblem, Partial<FailureContext>, RegExp]>([
    [
      "rate limited, with the time from Retry-After",
      problem("rateLimited", "too many certificates (5) already issued for this exact set of identifiers in the last 168h0m0s", {
        status: 429,
        retryAfter: "3600",
      }),
      {},
      /^Let's Encrypt's rate limit was reached: try again after 2026-03-01 13:00 UTC$/,
    ],
    [
      "rate limited, with the time only in the CA's words",
      problem(
        "rateLimited",
        "too many failed authorizations recently: retry after 2026-03-02 08:15:00 UTC: see https://letsencrypt.org/docs/rate-limits/",
        { status: 429 },
      ),
      {},
      /^Let's Encrypt's rate limit was reached: try again after 2026-03-02 08:15 UTC$/,
    ],
    [
      "rate limited at a private CA without a time",
      problem("rateLimited", "slow down", { status: 429 }),
      { directoryUrl: PRIVATE },
      /^The certificate authority's rate limit was reached: try again after the time the CA gives below$/,
    ],
    [
      "DNS problem",
      problem("dns", "DNS problem: NXDOMAIN looking up A for shop.example.com - check that a DNS record exists for this domain"),
      { hostname: "shop.example.com" },
      /^shop\.example\.com does not resolve: point its DNS at this server$/,
    ],
    [
      "connection refused on port 80",
      problem("connection", "127.0.0.2: Fetching http://shop.example.com/.well-known/acme-challenge/x: Connection refused"),
      { hostname: "shop.example.com" },
      /^The CA could not connect to shop\.example\.com on port 80: the connection was refused/,
    ],
    [
      "timeout on port 80 (Pebble's words)",
      problem("connection", 'Get "http://shop.example.com/.well-known/acme-challenge/x": dial tcp 203.0.113.9:80: i/o timeout'),
      { hostname: "shop.example.com" },
      /^The CA could not connect to shop\.example\.com on port 80: the connection timed out/,
    ],
    [
      "timeout on port 80 (Let's Encrypt's words)",
      problem(
        "connection",
        "203.0.113.9: Fetching http://shop.example.com/.well-known/acme-challenge/x: Timeout during connect (likely firewall problem)",
      ),
      { hostname: "shop.example.com" },
      /on port 80: the connection timed out \(a firewall/,
    ],
    [
      "wrong content served",
      problem("unauthorized", "Invalid response from http://shop.example.com/.well-known/acme-challenge/x: 404"),
      { hostname: "shop.example.com" },
      /^The CA reached shop\.example\.com on port 80 but got the wrong answer: another server or proxy answers there/,
    ],
    [
      "CAA forbids the CA",
      problem("caa", "CAA record for shop.example.com prevents issuance"),
      { hostname: "shop.example.com" },
      /^A CAA record in the DNS of shop\.example\.com does not allow Let's Encrypt to issue certificates for it: add 0 issue "letsencrypt\.org" to it, or remove it$/,
    ],
    [
      "rejected identifier, the name found in the subproblems",
      problem("rejectedIdentifier", 'Error creating new order :: Cannot issue for "www.shop.example.com": Domain name is blocked', {
        status: 400,
        subproblems: [
          {
            type: "urn:ietf:params:acme:error:rejectedIdentifier",
            detail: "Domain name is blocked",
            identifier: { type: "dns", value: "www.shop.example.com" },
          },
        ],
      }),
      {},
      /^Let's Encrypt does not issue certificates for www\.shop\.example\.com: the name is not allowed/,
    ],
    [
      "compound problem: the first subproblem decides",
      problem("compound", "Error creating new order :: 2 problems", {
        subproblems: [
          { type: "urn:ietf:params:acme:error:rejectedIdentifier", detail: "Invalid identifier", identifier: { type: "dns", value: "localhost" } },
          { type: "urn:ietf:params:acme:error:rejectedIdentifier", detail: "Invalid identifier", identifier: { type: "dns", value: "x.local" } },
        ],
      }),
      {},
      /^Let's Encrypt does not issue certificates for localhost/,
    ],
    [
      "an email the CA refuses",
      problem("invalidContact", "Error creating new account :: invalid contact domain. Contact emails @example.com are forbidden", { status: 400 }),
      {},
      /^Let's Encrypt does not accept the email address me@shop\.example\.com: use a real address you read$/,
    ],
    [
      "a CA that needs an external account binding",
      problem("externalAccountRequired", "No external account binding was provided"),
      { directoryUrl: "https://acme.zerossl.com/v2/DV90" },
      /^ZeroSSL requires an external account binding \(EAB\)/,
    ],
    [
      "the CA's own failure",
      problem("serverInternal", "The service is down for maintenance", { status: 503 }),
      {},
      /^Let's Encrypt had an internal error; the order will be retried automatically$/,
    ],
    ["anything else the CA refuses", problem("malformed", "JWS verification error"), {}, /^Let's Encrypt refused the request$/],
  ])("%s", (_name, caProblem, extra, expected) => {
    const failure = describeAcmeFailure(new Error(caProblem.detail), caProblem, { ...context, ...extra });
    expect(failure.message).toMatch(expected);
    // The CA's own words always come along underneath.
    expect(failure.detail).toContain(caProblem.detail);
  });

  it("lists each subproblem's words in the detail", () => {
    const failure = describeAcmeFailure(
      new Error("x"),
      problem("compound", "2 problems", {
        subproblems: [
          { type: "urn:ietf:params:acme:error:dns", detail: "NXDOMAIN for a.test", identifier: { type: "dns", value: "a.test" } },
          { type: "urn:ietf:params:acme:error:dns", detail: "NXDOMAIN for b.test", identifier: { type: "dns", value: "b.test" } },
        ],
      }),
      context,
    );
    expect(failure.message).toBe("a.test does not resolve: point its DNS at this server");
    expect(failure.detail).toBe("2 problems\nNXDOMAIN for a.test\nNXDOMAIN for b.test");
  });
});

describe("describeAcmeFailure: trouble reaching the CA", () => {
  it.each<[string, unknown, Partial<FailureContext>, RegExp]>([
    [
      "connection refused",
      networkError("ECONNREFUSED"),
      { directoryUrl: PRIVATE },
      /^Could not reach the ACME server at https:\/\/ca\.internal:9000\/acme\/dir: the connection was refused$/,
    ],
    [
      "unknown host",
      networkError("ENOTFOUND", "getaddrinfo ENOTFOUND ca.internal"),
      { directoryUrl: PRIVATE },
      /^Could not reach the ACME server at .*: its name does not resolve$/,
    ],
    [
      "timeout",
      networkError("ETIMEDOUT"),
      {},
      /^Could not reach the ACME server at https:\/\/acme-v02\.api\.letsencrypt\.org\/directory: it did not answer in time$/,
    ],
    [
      "a code on the cause",
      Object.assign(new Error("fetch failed"), { cause: networkError("ECONNRESET") }),
      {},
      /^Could not reach the ACME server at .*: the connection was cut$/,
    ],
    [
      "an untrusted certificate, no ACME_CA_FILE",
      networkError("SELF_SIGNED_CERT_IN_CHAIN", "self-signed certificate in certificate chain"),
      { directoryUrl: PRIVATE },
      /^The ACME server at https:\/\/ca\.internal:9000\/acme\/dir presented a certificate this proxy does not trust: if it uses a private CA, set ACME_CA_FILE/,
    ],
    [
      "a certificate the ACME_CA_FILE did not sign",
      networkError("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"),
      { directoryUrl: PRIVATE, caFile: "/etc/gatekeeper/ca.pem" },
      /^The ACME server at .* presented a certificate that the CA in ACME_CA_FILE \(\/etc\/gatekeeper\/ca\.pem\) did not sign/,
    ],
    [
      "a directory URL that is not one",
      new Error("Attempting to read ACME directory returned error 404: https://ca.internal:9000/nope"),
      { directoryUrl: PRIVATE },
      /answered HTTP 404 instead of its directory: check ACME_DIRECTORY_URL$/,
    ],
  ])("%s", (_name, error, extra, expected) => {
    const failure = describeAcmeFailure(error, undefined, { ...context, ...extra });
    expect(failure.message).toMatch(expected);
    expect(failure.detail).toBeTruthy();
  });

  it("passes an unreadable ACME_CA_FILE's own message through", () => {
    const error = new CaFileError("ACME_CA_FILE (/x.pem) could not be read (ENOENT): point it at a PEM file");
    expect(describeAcmeFailure(error, undefined, context)).toEqual({ message: error.message });
  });

  it("keeps an unknown error's words as the detail", () => {
    expect(describeAcmeFailure(new Error("boom"), undefined, context)).toEqual({ message: "The order failed unexpectedly", detail: "boom" });
  });
});

describe("retryAfterText", () => {
  it.each([
    ["seconds", { retryAfter: "120" }, "2026-03-01 12:02 UTC"],
    ["an HTTP date", { retryAfter: "Mon, 02 Mar 2026 06:30:00 GMT" }, "2026-03-02 06:30 UTC"],
    ["the CA's words", { detail: "retry after 2026-03-04 10:00:00 UTC: see https://letsencrypt.org/docs/rate-limits/" }, "2026-03-04 10:00 UTC"],
    ["nothing", {}, null],
  ])("from %s", (_name, extra, expected) => {
    expect(retryAfterText({ type: "urn:ietf:params:acme:error:rateLimited", detail: "", ...extra }, now)).toBe(expected);
  });
});
