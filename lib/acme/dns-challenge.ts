import { challengeRecordName, type DnsLookup, waitUntilServed } from "../dns/authoritative";
import type { TxtRecord } from "../dns/dns-provider";
import type { ConnectedDnsProvider } from "../services/dns-providers";
import type { OrderProgress } from "./order-progress";

export interface DnsChallengeOptions {
  provider: ConnectedDnsProvider;
  lookup: DnsLookup;
}

/** Runs one reported step of the order: its failure ends the order. */
export type StepRunner = <T>(name: string, running: string, work: () => Promise<T>, done: (value: T) => string) => Promise<T>;

/** A DNS host's API applies a change at once; its name servers may take a few minutes to serve it. */
const SERVED_BY_API = { timeoutMs: 5 * 60_000, intervalMs: 2_000 };
/** A person adds the record by hand: time to log in at the DNS host and do it. */
const SERVED_BY_HAND = { timeoutMs: 30 * 60_000, intervalMs: 5_000 };

/**
 * The DNS-01 half of an order: per name, the TXT record is created at the provider ("record") and
 * awaited on the zone's own name servers ("seen") before the CA is asked; when the order ends,
 * however it ends, every record it created is removed ("cleanup").
 */
export class DnsChallengeSolver {
  private readonly created: TxtRecord[] = [];
  private readonly manual: boolean;
  private changes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly options: DnsChallengeOptions,
    private readonly progress: OrderProgress,
    private readonly step: StepRunner,
  ) {
    this.manual = options.provider.type === "manual";
  }

  /** A host that keeps one value per name cannot hold a wildcard's and its base name's at once. */
  get oneAtATime(): boolean {
    return this.options.provider.oneValuePerName;
  }

  async publish(hostname: string, value: string): Promise<TxtRecord> {
    const { provider, lookup } = this.options;
    const record = await this.step(
      `record ${hostname}`,
      `Creating the TXT record for ${hostname} at ${provider.name}`,
      async () => {
        const record = { ...(await challengeRecordName(hostname, lookup)), value };
        // Listed before it is asked for, so that a half-done create is still cleaned up.
        this.created.push(record);
        if (!this.manual) await this.serially(() => provider.client.createTxt(record));
        return record;
      },
      (record) =>
        this.manual
          ? `Add this TXT record at your DNS host: ${record.fqdn} TXT "${record.value}"`
          : `Created the TXT record ${record.fqdn} "${record.value}" at ${provider.name}`,
    );
    await this.step(
      `seen ${hostname}`,
      `Waiting until the name servers of ${record.zone} answer the TXT record ${record.fqdn} "${record.value}"`,
      () => waitUntilServed(record, lookup, this.manual ? SERVED_BY_HAND : SERVED_BY_API),
      (servers) => `${servers.join(", ")} ${servers.length === 1 ? "answers" : "answer"} it`,
    );
    return record;
  }

  /** Never fails the order: a record left behind is harmless, and the step says which to remove. */
  async cleanUp(): Promise<void> {
    if (this.created.length === 0) return;
    const names = [...new Set(this.created.map((record) => record.fqdn))].join(", ");
    if (this.manual) {
      await this.progress.done("cleanup", `You can delete the TXT records at ${names} now`);
      return;
    }
    const { provider } = this.options;
    await this.progress.running("cleanup", `Removing the TXT records at ${names} from ${provider.name}`);
    const results = await Promise.allSettled(this.created.map((record) => this.serially(() => provider.client.deleteTxt(record))));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (!failed) {
      await this.progress.done("cleanup", `Removed the TXT records from ${provider.name}`);
      return;
    }
    const reason = failed.reason as Error & { detail?: string };
    await this.progress.done(
      "cleanup",
      `Could not remove every TXT record at ${names} (${reason.message}): they are harmless, but you can delete them at ${provider.name}`,
    );
  }

  /**
   * One change at the DNS host at a time: a wildcard and its base name share one name, and hosts
   * that replace a name's whole set of values would otherwise lose one of two changes made at once.
   */
  private serially<T>(change: () => Promise<T>): Promise<T> {
    const result = this.changes.then(change);
    this.changes = result.catch(() => undefined);
    return result;
  }
}
