import type { ResourceRecordSet, Route53Client } from "@aws-sdk/client-route-53";
import { z } from "zod";
import { DnsProviderFailure, defineDnsProvider, type TxtRecord } from "../dns-provider";
import { DNS_REQUEST_TIMEOUT_MS } from "../provider-request";

const TTL_SECONDS = 60;

export const route53 = defineDnsProvider({
  type: "route53",
  label: "Amazon Route 53",
  settings: z.object({
    hostedZoneId: z
      .string()
      .trim()
      .refine(
        (id) => id === "" || /^(\/hostedzone\/)?Z[A-Z0-9]+$/.test(id),
        "A hosted zone ID looks like Z1D633PJN98FT9: copy it from the hosted zone's details in the Route 53 console, or leave it empty",
      )
      .transform((id) => id.replace(/^\/hostedzone\//, "") || undefined)
      .optional(),
    region: z
      .string()
      .trim()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "An AWS region looks like us-east-1")
      .default("us-east-1"),
  }),
  credentials: z.object({
    accessKeyId: z.string().trim().min(1, "Paste the access key ID"),
    secretAccessKey: z.string().trim().min(1, "Paste the secret access key"),
  }),
  labels: {
    settings: {
      hostedZoneId: {
        label: "Hosted zone ID",
        help: "Optional: without it the hosted zone is found by the domain's name",
        placeholder: "Z1D633PJN98FT9",
      },
      region: {
        label: "Region",
        help: "Route 53 is global: keep us-east-1 unless the account is in AWS China or GovCloud",
        placeholder: "us-east-1",
      },
    },
    credentials: {
      accessKeyId: { label: "Access key ID", placeholder: "AKIA…" },
      secretAccessKey: {
        label: "Secret access key",
        help: "Of an IAM user allowed route53:ListHostedZonesByName, route53:ListResourceRecordSets and route53:ChangeResourceRecordSets",
      },
    },
  },
  connect(settings, credentials, options = {}) {
    // The SDK is large: load it on the first request, not when the dashboard starts.
    let loaded: Promise<{ sdk: typeof import("@aws-sdk/client-route-53"); client: Route53Client }> | undefined;
    const connected = () =>
      (loaded ??= import("@aws-sdk/client-route-53").then((sdk) => ({
        sdk,
        client: new sdk.Route53Client({
          region: settings.region,
          credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey },
          endpoint: options.baseUrl,
          // One attempt per request keeps the timeout the whole wait; the order retries on its own.
          maxAttempts: 1,
          // Without throwOnRequestTimeout the handler only logs a warning when the time is up.
          requestHandler: { connectionTimeout: DNS_REQUEST_TIMEOUT_MS, requestTimeout: DNS_REQUEST_TIMEOUT_MS, throwOnRequestTimeout: true },
        }),
      })));

    async function zoneId(record: TxtRecord): Promise<string> {
      if (settings.hostedZoneId) return settings.hostedZoneId;
      const { sdk, client } = await connected();
      // Zones come sorted by name from DNSName on; a private zone may share the public one's name.
      const answer = await client.send(new sdk.ListHostedZonesByNameCommand({ DNSName: record.zone, MaxItems: 10 }));
      const zone = answer.HostedZones?.find((found) => sameName(found.Name, record.zone) && !found.Config?.PrivateZone);
      if (!zone?.Id) {
        throw new DnsProviderFailure(
          `Route 53 has no public hosted zone ${record.zone} in this AWS account: create it, or use an access key of the account that holds it`,
        );
      }
      return zone.Id.replace(/^\/hostedzone\//, "");
    }

    async function txtSet(zone: string, record: TxtRecord): Promise<ResourceRecordSet | undefined> {
      const { sdk, client } = await connected();
      // Listing starts at the name and type asked for; the first set is ours only if it matches both.
      const answer = await client.send(
        new sdk.ListResourceRecordSetsCommand({ HostedZoneId: zone, StartRecordName: record.fqdn, StartRecordType: "TXT", MaxItems: 1 }),
      );
      const set = answer.ResourceRecordSets?.[0];
      return set?.Type === "TXT" && sameName(set.Name, record.fqdn) ? set : undefined;
    }

    async function write(zone: string, action: "UPSERT" | "DELETE", set: ResourceRecordSet): Promise<void> {
      const { sdk, client } = await connected();
      await client.send(
        new sdk.ChangeResourceRecordSetsCommand({
          HostedZoneId: zone,
          ChangeBatch: { Comment: "ACME DNS-01 challenge", Changes: [{ Action: action, ResourceRecordSet: set }] },
        }),
      );
    }

    return {
      createTxt: (record) =>
        oneChangeAtATime(record, async () => {
          const zone = await zoneId(record);
          const set = await txtSet(zone, record);
          const values = set?.ResourceRecords?.map((r) => r.Value ?? "") ?? [];
          if (values.includes(quoted(record.value))) return;
          await write(zone, "UPSERT", {
            Name: record.fqdn,
            Type: "TXT",
            TTL: set?.TTL ?? TTL_SECONDS,
            ResourceRecords: [...values, quoted(record.value)].map((Value) => ({ Value })),
          });
        }),
      deleteTxt: (record) =>
        oneChangeAtATime(record, async () => {
          const zone = await zoneId(record);
          const set = await txtSet(zone, record);
          const values = set?.ResourceRecords?.map((r) => r.Value ?? "") ?? [];
          const rest = values.filter((v) => v !== quoted(record.value));
          if (!set || rest.length === values.length) return;
          // A DELETE must repeat the set exactly as it is; the last value cannot be UPSERT away.
          if (rest.length === 0) await write(zone, "DELETE", set);
          else await write(zone, "UPSERT", { Name: set.Name, Type: "TXT", TTL: set.TTL, ResourceRecords: rest.map((Value) => ({ Value })) });
        }),
    };
  },
});

/** Route 53 keeps TXT values in zone-file syntax: one string in double quotes. */
function quoted(value: string): string {
  return `"${value}"`;
}

/** Route 53 answers with lowercase names ending in a dot. */
function sameName(routeName: string | undefined, name: string): boolean {
  return routeName?.toLowerCase().replace(/\.$/, "") === name.toLowerCase().replace(/\.$/, "");
}

/**
 * A name's values are one set that each change reads, alters and writes back: two changes to one
 * name at once (a wildcard and its base name) would each write back a set without the other's value.
 */
const pendingChanges = new Map<string, Promise<void>>();

function oneChangeAtATime(record: TxtRecord, change: () => Promise<void>): Promise<void> {
  const key = record.fqdn.toLowerCase();
  const run = (pendingChanges.get(key) ?? Promise.resolve()).then(() => change().catch((error: unknown) => Promise.reject(explain(error, record))));
  const settled = run.then(
    () => {},
    () => {},
  );
  pendingChanges.set(key, settled);
  void settled.then(() => pendingChanges.get(key) === settled && pendingChanges.delete(key));
  return run;
}

/** What AWS answered (its error code, HTTP status and words), or why no answer came. */
interface AwsError {
  name?: string;
  message?: string;
  code?: string;
  $metadata?: { httpStatusCode?: number };
}

function explain(error: unknown, record: TxtRecord): unknown {
  if (error instanceof DnsProviderFailure || !(error instanceof Error)) return error;
  const { name = "", message = "", code, $metadata } = error as AwsError;
  const status = $metadata?.httpStatusCode;
  const detail = `${name}: ${message}`;
  if (status === undefined) {
    if (name === "TimeoutError" || code === "ETIMEDOUT") {
      return new DnsProviderFailure(`Route 53's API did not answer within ${DNS_REQUEST_TIMEOUT_MS / 1000} seconds: try again later`, detail);
    }
    return new DnsProviderFailure(`Could not reach Route 53's API (${message}): check this server's internet connection and DNS`, detail);
  }
  if (name === "InvalidClientTokenId" || name === "UnrecognizedClientException") {
    return new DnsProviderFailure("AWS does not know the access key ID: check that it was pasted whole and that the key is still active", detail);
  }
  if (name === "SignatureDoesNotMatch") {
    return new DnsProviderFailure(
      "AWS did not accept the secret access key: check that it was pasted whole and belongs to this access key ID",
      detail,
    );
  }
  if (name === "ExpiredToken") {
    return new DnsProviderFailure("AWS says the access key has expired: create a new access key and paste it here", detail);
  }
  if (name === "AccessDenied" || status === 403) {
    return new DnsProviderFailure(
      `AWS refused the access key: its IAM policy must allow route53:ListHostedZonesByName, route53:ListResourceRecordSets and route53:ChangeResourceRecordSets on the hosted zone of ${record.zone}`,
      detail,
    );
  }
  if (name === "NoSuchHostedZone") {
    return new DnsProviderFailure(
      "Route 53 has no hosted zone with the hosted zone ID in the settings: correct it, or leave it empty to find the zone by name",
      detail,
    );
  }
  if (name === "Throttling" || name === "ThrottlingException" || name === "PriorRequestNotComplete" || status === 429) {
    return new DnsProviderFailure("Route 53 is limiting how fast this account may make changes: try again in a few minutes", detail);
  }
  if (status >= 500) {
    return new DnsProviderFailure(`Route 53's API failed (HTTP ${status}): this is on AWS's side, try again in a few minutes`, detail);
  }
  return new DnsProviderFailure(`Route 53 rejected the change to ${record.fqdn} (HTTP ${status})`, detail);
}
