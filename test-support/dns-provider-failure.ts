import { expect } from "vitest";
import { DnsProviderFailure } from "@/lib/dns/dns-provider";

/** What a DNS provider's call failed with: a DnsProviderFailure, or the test fails. */
export async function failureOf(promise: Promise<unknown>): Promise<DnsProviderFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DnsProviderFailure);
  return error as DnsProviderFailure;
}
