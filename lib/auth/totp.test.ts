import { describe, expect, it } from "vitest";
import { base32Decode, base32Encode, hotp, matchingStep, newTotpSecret, otpauthUri, timeStep, totp } from "./totp";

const RFC_KEY = Buffer.from("12345678901234567890");

describe("RFC 4226 Appendix D", () => {
  it("gives the published HOTP values for counters 0 to 9", () => {
    const expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    expect(expected.map((_, counter) => hotp(RFC_KEY, counter))).toEqual(expected);
  });
});

describe("RFC 6238 Appendix B (SHA-1, 8 digits)", () => {
  const vectors: [number, string][] = [
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ];
  it.each(vectors)("at %i s the code is %s", (seconds, code) => {
    expect(totp(RFC_KEY, new Date(seconds * 1000), 8)).toBe(code);
  });
});

describe("matchingStep", () => {
  const now = new Date(1_800_000_000_000);
  const step = timeStep(now);
  it("accepts the codes of the step before, now and after, and names their step", () => {
    expect(matchingStep(RFC_KEY, hotp(RFC_KEY, step), now)).toBe(step);
    expect(matchingStep(RFC_KEY, hotp(RFC_KEY, step - 1), now)).toBe(step - 1);
    expect(matchingStep(RFC_KEY, hotp(RFC_KEY, step + 1), now)).toBe(step + 1);
  });
  it("refuses codes two steps away and anything not six digits", () => {
    expect(matchingStep(RFC_KEY, hotp(RFC_KEY, step - 2), now)).toBeNull();
    expect(matchingStep(RFC_KEY, hotp(RFC_KEY, step + 2), now)).toBeNull();
    expect(matchingStep(RFC_KEY, "12345", now)).toBeNull();
    expect(matchingStep(RFC_KEY, "abcdef", now)).toBeNull();
  });
});

describe("secrets and URIs", () => {
  it("makes 20-byte base32 secrets that read back as they were", () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(base32Encode(base32Decode(secret))).toBe(secret);
    // RFC 4648 section 10's test vector, padding dropped.
    expect(base32Encode(Buffer.from("foobar"))).toBe("MZXW6YTBOI");
    expect(base32Decode("mzxw 6ytb oi==").toString()).toBe("foobar");
    expect(() => base32Decode("MZ1")).toThrow('"1" is not a base32 character');
  });
  it("names the account and the issuer in the otpauth URI", () => {
    expect(otpauthUri("ann@example.com", "ABC")).toBe("otpauth://totp/Gatekeeper:ann%40example.com?secret=ABC&issuer=Gatekeeper");
  });
});
