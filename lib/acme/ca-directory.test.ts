import { describe, expect, it } from "vitest";
import { caName, caPossessive, directoryUrlFor } from "./ca-directory";

const PRODUCTION = "https://acme-v02.api.letsencrypt.org/directory";
const STAGING = "https://acme-staging-v02.api.letsencrypt.org/directory";

describe("directoryUrlFor", () => {
  it.each([
    ["production by default", false, {}, PRODUCTION],
    ["staging when the order asks", true, {}, STAGING],
    ["ACME_DIRECTORY_URL over production", false, { ACME_DIRECTORY_URL: "https://ca.internal/acme/dir" }, "https://ca.internal/acme/dir"],
    ["ACME_DIRECTORY_URL over staging too", true, { ACME_DIRECTORY_URL: " https://127.0.0.1:14000/dir " }, "https://127.0.0.1:14000/dir"],
    ["an empty ACME_DIRECTORY_URL is unset", true, { ACME_DIRECTORY_URL: "" }, STAGING],
  ])("%s", (_name, staging, env, expected) => {
    expect(directoryUrlFor(staging, env)).toBe(expected);
  });
});

describe("caName", () => {
  it.each([
    [PRODUCTION, "Let's Encrypt", "Let's Encrypt's"],
    [STAGING, "Let's Encrypt (staging)", "Let's Encrypt's (staging)"],
    ["https://acme.zerossl.com/v2/DV90", "ZeroSSL", "ZeroSSL's"],
    ["https://127.0.0.1:14000/dir", "The certificate authority", "The certificate authority's"],
  ])("%s", (url, name, possessive) => {
    expect(caName(url)).toBe(name);
    expect(caPossessive(url)).toBe(possessive);
  });
});

it("names every CA directory the ACME client knows", async () => {
  const { directory } = await import("acme-client");
  const urls = Object.values(directory).flatMap((ca) => Object.values(ca) as string[]);
  expect(urls.length).toBeGreaterThan(0);
  for (const url of urls) expect(caName(url)).not.toBe("The certificate authority");
});
