import { randomBytes } from "node:crypto";
import type { z } from "zod";
import { db, type Prisma } from "../db";
import { AppError, notFound, validationError, zodDetails } from "../errors";
import { openCredentials, sealCredentials } from "../certs/key-crypto";
import { challengeRecordName, type DnsLookup, dnsLookupFromEnv, waitUntilServed } from "../dns/authoritative";
import { type DnsProviderClient, DnsProviderFailure } from "../dns/dns-provider";
import { DNS_PROVIDERS } from "../dns/providers";
import { recordAudit } from "../audit/record";
import {
  type DnsProvider,
  dnsProviderInputSchema,
  dnsProviderPatchSchema,
  type DnsProviderTestResult,
  type DnsProviderTestStep,
  dnsProviderTestSchema,
  type DnsProviderType,
} from "../schemas/dns-provider";

const include = { certificates: { select: { id: true, name: true }, orderBy: { createdAt: "asc" } } } as const;
type Row = Prisma.DnsProviderGetPayload<{ include: typeof include }>;

/** How long "Test" waits for the zone's servers to answer the test record; orders wait longer. */
const TEST_SERVED_TIMEOUT_MS = 30_000;
const TEST_POLL_MS = 1_000;

export async function listDnsProviders(): Promise<DnsProvider[]> {
  const rows = await db().dnsProvider.findMany({ include, orderBy: { createdAt: "asc" } });
  return rows.map(toDnsProvider);
}

export async function getDnsProvider(id: string): Promise<DnsProvider> {
  const row = await db().dnsProvider.findUnique({ where: { id }, include });
  if (!row) throw notFound("DNS provider");
  return toDnsProvider(row);
}

/** Checks the type's settings and credentials, seals the credentials, stores. Nothing is saved on any error. */
export async function createDnsProvider(input: unknown): Promise<DnsProvider> {
  const parsed = dnsProviderInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const { name, type } = parsed.data;
  const checked = checkFields(type, parsed.data.settings, parsed.data.credentials);
  const row = await db().$transaction(async (tx) => {
    await assertNameFree(tx, null, name);
    return tx.dnsProvider.create({
      data: { name, type, settings: JSON.stringify(checked.settings), credentialsEnc: sealCredentials(checked.credentials) },
      include,
    });
  });
  const created = toDnsProvider(row);
  await recordAudit({ action: "create", objectType: "dnsProvider", objectId: created.id, after: created });
  return created;
}

/**
 * Changes what is sent. Credentials left out are kept, unless the type changes: a new type needs
 * its own settings and credentials.
 */
export async function updateDnsProvider(id: string, patch: unknown): Promise<DnsProvider> {
  const parsed = dnsProviderPatchSchema.safeParse(patch);
  if (!parsed.success) throw validationError(parsed.error);
  const changes = parsed.data;
  const shown = await getDnsProvider(id);
  const row = await db().$transaction(async (tx) => {
    const before = await tx.dnsProvider.findUnique({ where: { id } });
    if (!before) throw notFound("DNS provider");
    const type = changes.type ?? (before.type as DnsProviderType);
    const sameType = type === before.type;
    const settings = changes.settings ?? (sameType ? (JSON.parse(before.settings) as Record<string, unknown>) : {});
    const credentials = changes.credentials ?? (sameType ? openCredentials(before.credentialsEnc) : {});
    const checked = checkFields(type, settings, credentials);
    if (changes.name !== undefined) await assertNameFree(tx, id, changes.name);
    return tx.dnsProvider.update({
      where: { id },
      data: {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        type,
        settings: JSON.stringify(checked.settings),
        credentialsEnc: sealCredentials(checked.credentials),
      },
      include,
    });
  });
  const updated = toDnsProvider(row);
  await recordAudit({ action: "update", objectType: "dnsProvider", objectId: id, before: shown, after: updated });
  return updated;
}

/** A provider that certificates renew through cannot go: 409 names them. */
export async function deleteDnsProvider(id: string): Promise<void> {
  const before = await getDnsProvider(id);
  await db().$transaction(async (tx) => {
    const row = await tx.dnsProvider.findUnique({ where: { id }, include });
    if (!row) throw notFound("DNS provider");
    if (row.certificates.length > 0) {
      const names = row.certificates.map((certificate) => `"${certificate.name}"`).join(", ");
      throw new AppError("conflict", `This DNS provider is used by ${names}, which renew through it: delete those certificates first`, {
        certificateIds: row.certificates.map((certificate) => certificate.id).join(","),
      });
    }
    await tx.dnsProvider.delete({ where: { id } });
  });
  await recordAudit({ action: "delete", objectType: "dnsProvider", objectId: id, before });
}

export interface ConnectedDnsProvider {
  name: string;
  type: DnsProviderType;
  client: DnsProviderClient;
  oneValuePerName: boolean;
}

/** The provider as an order uses it: its client, with the credentials opened. */
export async function connectDnsProvider(id: string): Promise<ConnectedDnsProvider> {
  const row = await db().dnsProvider.findUnique({ where: { id } });
  if (!row) throw notFound("DNS provider");
  const type = row.type as DnsProviderType;
  const definition = DNS_PROVIDERS[type];
  const settings = definition.settings.parse(JSON.parse(row.settings));
  const credentials = definition.credentials.parse(openCredentials(row.credentialsEnc));
  return { name: row.name, type, client: definition.connect(settings, credentials), oneValuePerName: definition.oneValuePerName === true };
}

/**
 * "Test": creates a TXT record under the domain with a random value, waits until the zone's own
 * servers answer it, and deletes it again, whatever happened. Each step in plain words.
 */
export async function testDnsProvider(id: string, input: unknown, lookup: DnsLookup = dnsLookupFromEnv()): Promise<DnsProviderTestResult> {
  const parsed = dnsProviderTestSchema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  const provider = await connectDnsProvider(id);
  const steps: DnsProviderTestStep[] = [];
  const attempt = async (step: DnsProviderTestStep["step"], work: () => Promise<string>): Promise<boolean> => {
    try {
      steps.push({ step, ok: true, message: await work() });
      return true;
    } catch (error) {
      const failure = error instanceof DnsProviderFailure ? error : new DnsProviderFailure(`${provider.name} failed unexpectedly`, String(error));
      steps.push({ step, ok: false, message: failure.message, ...(failure.detail ? { detail: failure.detail } : {}) });
      return false;
    }
  };

  let where: { fqdn: string; zone: string } | undefined;
  const found = await attempt("zone", async () => {
    where = await challengeRecordName(parsed.data.domain, lookup);
    return `The challenge record of ${parsed.data.domain} is ${where.fqdn}, in the zone ${where.zone}`;
  });
  if (!found || !where) return { ok: false, steps };
  if (provider.type === "manual") {
    steps.push({
      step: "create",
      ok: true,
      message: "Nothing to create: when you order, the dashboard shows the TXT record to add at your DNS host",
    });
    return { ok: true, steps };
  }
  const record = { ...where, value: `gatekeeper-test-${randomBytes(12).toString("base64url")}` };
  if (await attempt("create", async () => (await provider.client.createTxt(record), `Created a test TXT record at ${provider.name}`))) {
    await attempt("served", async () => {
      const servers = await waitUntilServed(record, lookup, { timeoutMs: TEST_SERVED_TIMEOUT_MS, intervalMs: TEST_POLL_MS });
      return `${servers.join(", ")} ${servers.length === 1 ? "answers" : "answer"} it`;
    });
    await attempt("delete", async () => (await provider.client.deleteTxt(record), "Deleted the test record"));
  }
  return { ok: steps.every((step) => step.ok), steps };
}

/** The type's settings and credentials, checked together so every problem is named at once. */
function checkFields(type: DnsProviderType, settings: unknown, credentials: unknown): { settings: object; credentials: Record<string, unknown> } {
  const definition = DNS_PROVIDERS[type];
  const checkedSettings = definition.settings.safeParse(settings);
  const checkedCredentials = definition.credentials.safeParse(credentials);
  const details = {
    ...prefixed("settings", checkedSettings.error),
    ...prefixed("credentials", checkedCredentials.error),
  };
  if (!checkedSettings.success || !checkedCredentials.success) throw new AppError("validation_failed", "Some fields need attention", details);
  return { settings: checkedSettings.data, credentials: checkedCredentials.data };
}

function prefixed(prefix: string, error: z.ZodError | undefined): Record<string, string> {
  if (!error) return {};
  return Object.fromEntries(Object.entries(zodDetails(error)).map(([path, message]) => [path === "_" ? prefix : `${prefix}.${path}`, message]));
}

async function assertNameFree(tx: Prisma.TransactionClient, id: string | null, name: string): Promise<void> {
  const other = await tx.dnsProvider.findUnique({ where: { name }, select: { id: true } });
  if (other && other.id !== id) {
    throw new AppError("validation_failed", "Some fields need attention", { name: `There is already a DNS provider named “${name}”` });
  }
}

function toDnsProvider(row: Row): DnsProvider {
  const definition = DNS_PROVIDERS[row.type as DnsProviderType];
  return {
    id: row.id,
    name: row.name,
    type: row.type as DnsProviderType,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    hasCredentials: Object.keys(definition.credentials.shape).length > 0,
    certificateIds: row.certificates.map((certificate) => certificate.id),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
