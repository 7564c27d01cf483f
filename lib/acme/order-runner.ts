import * as acme from "acme-client";
import type { Authorization, Order } from "acme-client";
import { inspectCertificate } from "../certs/inspect";
import { DnsProviderFailure } from "../dns/dns-provider";
import type { AcmeChallenge } from "../schemas/certificate";
import { type DnsChallengeOptions, DnsChallengeSolver } from "./dns-challenge";
import type { AcmeEnv } from "./acme-env";
import { settingsAccountStore, type AcmeAccountStore } from "./account-store";
import { caName, directoryUrlFor } from "./ca-directory";
import { configureCaTrust } from "./ca-trust";
import { describeAcmeFailure, type FailureContext, type PlainFailure } from "./failure-messages";
import { splitIssuedChain } from "./issued-chain";
import type { OrderProgress } from "./order-progress";
import { withProblemCapture, type ProblemLog } from "./problem-capture";

/** What an order needs to know (a subset of the claimed order). */
export interface OrderRequest {
  domains: string[];
  email: string;
  staging: boolean;
  challenge: AcmeChallenge;
}

/** Where HTTP-01 answers go: the proxy serves what is published here on HTTP_PORT. */
export interface ChallengePublisher {
  /** Resolves once the proxy answers the token (the CA may ask right after). */
  publish(token: string, keyAuthorization: string): Promise<void>;
  remove(token: string): Promise<void>;
}

export interface IssuedCertificate {
  certificatePem: string;
  chainPem: string;
  privateKeyPem: string;
  notAfter: Date;
  issuer: string;
}

export type OrderOutcome = { ok: true; certificate: IssuedCertificate } | { ok: false; failure: PlainFailure };

export interface OrderRunnerOptions {
  challenges: ChallengePublisher;
  /** For DNS-01 orders: the provider that creates the TXT records, and how to look names up. */
  dns?: DnsChallengeOptions;
  progress: OrderProgress;
  env?: AcmeEnv;
  accounts?: AcmeAccountStore;
  /** How often to ask the CA whether a challenge or the order is done (doubling from min to max). */
  polling?: { attempts: number; minMs: number; maxMs: number };
}

const DEFAULT_POLLING = { attempts: 12, minMs: 500, maxMs: 8_000 };

class StepFailure extends Error {
  constructor(readonly failure: PlainFailure) {
    super(failure.message);
  }
}

/**
 * Runs one ACME order from account to issued certificate, reporting each step: account, order,
 * per hostname "challenge <name>" (HTTP-01) or "record", "seen" and "challenge <name>" (DNS-01),
 * validation, issued, and for DNS-01 "cleanup". Never throws: a failure comes back in plain
 * words, with the CA's or the DNS host's own words as detail.
 */
export function runOrder(request: OrderRequest, options: OrderRunnerOptions): Promise<OrderOutcome> {
  const env = options.env ?? process.env;
  const directoryUrl = directoryUrlFor(request.staging, env);
  const context: FailureContext = {
    directoryUrl,
    domains: request.domains,
    email: request.email,
    ...(env.ACME_CA_FILE?.trim() ? { caFile: env.ACME_CA_FILE.trim() } : {}),
  };
  return withProblemCapture(async (problems) => {
    const published = new Set<string>();
    const run = new OrderRun(request, options, directoryUrl, context, problems, published);
    try {
      return { ok: true, certificate: await run.execute() } as const;
    } catch (error) {
      if (error instanceof StepFailure) return { ok: false, failure: error.failure } as const;
      return { ok: false, failure: describeAcmeFailure(error, undefined, context) } as const;
    } finally {
      await Promise.all([...published].map((token) => options.challenges.remove(token).catch(() => undefined)));
      await run.dns?.cleanUp();
    }
  });
}

class OrderRun {
  private readonly ca: string;
  private readonly polling: { attempts: number; minMs: number; maxMs: number };

  constructor(
    private readonly request: OrderRequest,
    private readonly options: OrderRunnerOptions,
    private readonly directoryUrl: string,
    private readonly context: FailureContext,
    private readonly problems: ProblemLog,
    private readonly published: Set<string>,
  ) {
    this.ca = caName(directoryUrl);
    this.polling = options.polling ?? DEFAULT_POLLING;
    if (request.challenge === "dns-01" && options.dns) {
      this.dns = new DnsChallengeSolver(options.dns, options.progress, (name, running, work, done) => this.step(name, running, work, done));
    }
  }

  /** Set for DNS-01 orders: it creates the TXT records, and removes them when the order ends. */
  readonly dns: DnsChallengeSolver | undefined;

  private get progress(): OrderProgress {
    return this.options.progress;
  }

  /** Runs one step; a failure is reported on that step and ends the order. */
  private async step<T>(name: string, running: string, work: () => Promise<T>, done: (value: T) => string, hostname?: string): Promise<T> {
    await this.progress.running(name, running);
    try {
      const value = await work();
      await this.progress.done(name, done(value));
      return value;
    } catch (error) {
      const failure =
        error instanceof StepFailure
          ? error.failure
          : error instanceof DnsProviderFailure
            ? { message: error.message, ...(error.detail ? { detail: error.detail } : {}) }
            : this.describe(error, hostname);
      await this.progress.failed(name, failure.message, failure.detail);
      throw new StepFailure(failure);
    }
  }

  private describe(error: unknown, hostname?: string, url?: string): PlainFailure {
    const problem = (url ? this.problems.byUrl.get(url) : undefined) ?? this.problems.last;
    // acme-client replaces a network error with a TypeError of its own; the socket saw the real one.
    const cause = problem ? error : (this.problems.network ?? error);
    return describeAcmeFailure(cause, problem, { ...this.context, ...(hostname ? { hostname } : {}) });
  }

  async execute(): Promise<IssuedCertificate> {
    if (this.request.challenge === "dns-01" && !this.dns) {
      throw new StepFailure({ message: "This certificate has no DNS provider to create its TXT records: order it again with one" });
    }
    const { client } = await this.step(
      "account",
      `Checking the ACME account with ${this.ca}`,
      () => this.account(),
      (result) => `${result.created ? "Created" : "Using"} the account${this.request.email ? ` for ${this.request.email}` : ""} at ${this.ca}`,
    );
    const { order, authorizations } = await this.step(
      "order",
      `Asking ${this.ca} for a certificate for ${this.request.domains.join(", ")}`,
      async () => {
        const order = await client.createOrder({ identifiers: this.request.domains.map((value) => ({ type: "dns", value })) });
        return { order, authorizations: await client.getAuthorizations(order) };
      },
      ({ authorizations }) => `Order placed: the CA checks ${authorizations.length === 1 ? "1 name" : `${authorizations.length} names`}`,
    );
    await this.challenges(client, authorizations);
    await this.step(
      "validation",
      "Waiting for the CA to confirm every name",
      () => client.waitForValidStatus(order),
      () => "Every name is validated",
    );
    return this.step(
      "issued",
      `Making a new private key and asking ${this.ca} to sign the certificate`,
      // The order as created: what waitForValidStatus returns lacks the URL that finalizing needs.
      () => this.finalize(client, order),
      (issued) => `Issued by ${issued.issuer}, valid until ${issued.notAfter.toISOString().slice(0, 10)}`,
    );
  }

  private newClient(keyPem: string, accountUrl?: string): acme.Client {
    return new acme.Client({
      directoryUrl: this.directoryUrl,
      accountKey: keyPem,
      ...(accountUrl ? { accountUrl } : {}),
      backoffAttempts: this.polling.attempts,
      backoffMin: this.polling.minMs,
      backoffMax: this.polling.maxMs,
    });
  }

  private async account(): Promise<{ client: acme.Client; created: boolean }> {
    configureCaTrust(this.options.env ?? process.env);
    const store = this.options.accounts ?? settingsAccountStore;
    const email = this.request.email || null;
    const contact = email ? [`mailto:${email}`] : [];
    let stored = await store.load(this.directoryUrl);
    if (stored?.url) {
      const client = this.newClient(stored.keyPem, stored.url);
      try {
        // Keeps the contact current, and proves the CA still knows the account (a test CA
        // forgets it when restarted; an account can be deactivated).
        await client.updateAccount({ contact });
        if (stored.email !== email) await store.save(this.directoryUrl, { ...stored, email });
        return { client, created: false };
      } catch (error) {
        const type = this.problems.last?.type ?? "";
        if (type.endsWith(":unauthorized"))
          stored = null; // deactivated: that key cannot register again
        else if (!type.endsWith(":accountDoesNotExist")) throw error;
      }
    }
    if (!stored) {
      // Kept before registering, so a failed registration is retried with the same key.
      stored = { keyPem: (await acme.crypto.createPrivateEcdsaKey("P-256")).toString(), url: null, email: null };
      await store.save(this.directoryUrl, stored);
    }
    const client = this.newClient(stored.keyPem);
    await client.createAccount({ termsOfServiceAgreed: true, contact });
    await store.save(this.directoryUrl, { keyPem: stored.keyPem, url: client.getAccountUrl(), email });
    return { client, created: true };
  }

  /**
   * One set of steps per name, all at once (one at a time where the DNS host keeps one TXT value
   * per name): publish every answer, tell the CA, wait for its verdicts.
   */
  private async challenges(client: acme.Client, authorizations: Authorization[]): Promise<void> {
    // Steps in the order the user listed the names, whatever order the CA sent them in.
    const position = (authz: Authorization) => {
      const index = this.request.domains.indexOf(nameOf(authz));
      return index === -1 ? Number.MAX_SAFE_INTEGER : index;
    };
    const sorted = [...authorizations].sort((a, b) => position(a) - position(b));
    if (this.dns?.oneAtATime) {
      for (const authz of sorted) await this.challenge(client, authz);
      return;
    }
    const results = await Promise.allSettled(sorted.map((authz) => this.challenge(client, authz)));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === "rejected");
    if (failed) throw failed.reason;
  }

  private async challenge(client: acme.Client, authz: Authorization): Promise<void> {
    const hostname = nameOf(authz);
    const name = `challenge ${hostname}`;
    if (authz.status === "valid") {
      return this.progress.done(name, `${hostname} was validated recently; the CA does not check it again`);
    }
    const type = this.dns ? "dns-01" : "http-01";
    const challenge = authz.challenges.find((candidate) => candidate.type === type);
    if (!challenge) {
      const failure = { message: `${this.ca} offered no ${this.dns ? "DNS" : "HTTP"} challenge for ${hostname}` };
      await this.progress.failed(name, failure.message);
      throw new StepFailure(failure);
    }
    const keyAuthorization = await client.getChallengeKeyAuthorization(challenge);
    let running: string;
    let done: string;
    if (this.dns) {
      const record = await this.dns.publish(hostname, keyAuthorization);
      running = `Waiting for ${this.ca} to look up the TXT record ${record.fqdn}`;
      done = `${this.ca} found the TXT record: ${hostname} is validated`;
    } else {
      this.published.add(challenge.token);
      running = `Waiting for the CA to fetch http://${hostname}/.well-known/acme-challenge/ from this proxy`;
      done = `The CA reached ${hostname} on port 80 and found this proxy`;
    }
    await this.step(
      name,
      running,
      async () => {
        if (!this.dns) await this.options.challenges.publish(challenge.token, keyAuthorization);
        try {
          await client.completeChallenge(challenge);
          await client.waitForValidStatus(challenge);
        } catch (error) {
          throw new StepFailure(this.describe(error, hostname, challenge.url));
        }
      },
      () => done,
      hostname,
    );
  }

  private async finalize(client: acme.Client, order: Order): Promise<IssuedCertificate> {
    // A new key for every certificate, renewals included.
    const key = await acme.crypto.createPrivateEcdsaKey("P-256");
    const [, csr] = await acme.crypto.createCsr({ commonName: this.request.domains[0], altNames: this.request.domains }, key);
    const finalized = await client.finalizeOrder(order, csr);
    const fullChain = await client.getCertificate(finalized);
    const { certificatePem, chainPem } = splitIssuedChain(fullChain);
    const info = inspectCertificate(certificatePem);
    return { certificatePem, chainPem, privateKeyPem: key.toString(), notAfter: info.notAfter, issuer: info.issuer };
  }
}

/** The name as the user listed it: the CA names a wildcard's authorization by its base name. */
const nameOf = (authz: Authorization): string => (authz.wildcard ? `*.${authz.identifier.value}` : authz.identifier.value);
