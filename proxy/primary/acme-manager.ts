import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type { AcmeEnv } from "@/lib/acme/acme-env";
import { intervalFromEnv } from "./interval-from-env";
import type { PreflightResult } from "@/lib/acme/preflight-types";
import { OrderProgress } from "@/lib/acme/order-progress";
import type { IssuedCertificate, OrderOutcome } from "@/lib/acme/order-runner";
import type { PlainFailure } from "@/lib/acme/failure-messages";
import type { DnsChallengeOptions } from "@/lib/acme/dns-challenge";
import { dnsServersFromEnv, preflightHostnames } from "@/lib/acme/preflight";
import {
  claimNextOrder,
  completeOrder,
  dueExpiryWarnings,
  failOrder,
  markExpiryWarned,
  requeueInterruptedOrders,
  saveProgress,
  type ClaimedOrder,
} from "@/lib/services/acme-orders";
import { notify } from "@/lib/notifications/webhook";
import type { NotificationEvent } from "@/lib/notifications/events";
import type { AcmeChallengeStore } from "./acme-challenge-store";
import type { SnapshotPublisher } from "./snapshot-publisher";

export interface AcmeManagerOptions {
  challenges: AcmeChallengeStore;
  publisher: SnapshotPublisher;
  /** The proxy's HTTP port, which pre-flight probes. */
  httpPort: number;
  logger: Logger;
  env?: AcmeEnv;
}

/** How long "installed" waits for the workers to serve the new certificate. */
const INSTALL_TIMEOUT_MS = 30_000;

/**
 * The primary's ACME loop: claims due orders and renewals one at a time (polled, and at once when
 * the dashboard notifies), runs them, installs what is issued, and tells the webhook. Also sends
 * expiry warnings, and answers pre-flight checks with a probe token the workers serve.
 */
export class AcmeManager {
  private readonly env: AcmeEnv;
  private readonly pollMs: number;
  private readonly expiryCheckMs: number;
  private readonly timers: NodeJS.Timeout[] = [];
  private starting = false;
  private started = false;
  private stopped = false;
  private busy = false;
  private again = false;
  private expiryRunning = false;

  constructor(private readonly options: AcmeManagerOptions) {
    this.env = options.env ?? process.env;
    this.pollMs = intervalFromEnv(this.env, "ACME_POLL_MS", 2_000);
    this.expiryCheckMs = intervalFromEnv(this.env, "ACME_EXPIRY_CHECK_MS", 60_000);
  }

  /** Call once the workers listen: before that the CA could not fetch the challenge answers. */
  async start(): Promise<void> {
    if (this.starting) return;
    this.starting = true;
    try {
      // Orders that were running when the primary stopped start again from the beginning.
      await requeueInterruptedOrders();
    } catch (error) {
      this.options.logger.warn({ err: error }, "could not requeue interrupted ACME orders");
    }
    if (this.stopped) return;
    this.started = true;
    this.wake();
    void this.checkExpiry();
    this.timers.push(setInterval(() => this.wake(), this.pollMs));
    this.timers.push(setInterval(() => void this.checkExpiry(), this.expiryCheckMs));
  }

  /** Looks for due orders now (never two runs at once; a wake during a run means one more look). */
  wake(): void {
    if (!this.started || this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    void this.drain().finally(() => {
      this.busy = false;
      if (this.again) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Stops looking for work. An order in flight is abandoned; the next start requeues it. */
  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
  }

  /** Checks each name with a probe token that every worker answers while the check runs. */
  async preflight(hostnames: string[]): Promise<PreflightResult[]> {
    const token = randomBytes(32).toString("base64url");
    const expected = `${token}.${randomBytes(32).toString("base64url")}`;
    await this.options.challenges.publish(token, expected);
    try {
      return await preflightHostnames(hostnames, {
        httpPort: this.options.httpPort,
        probe: { token, expected },
        ...(dnsServersFromEnv(this.env) ? { dnsServers: dnsServersFromEnv(this.env) } : {}),
      });
    } finally {
      await this.options.challenges.remove(token);
    }
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      let order: ClaimedOrder | null;
      try {
        order = await claimNextOrder(new Date());
      } catch (error) {
        this.options.logger.warn({ err: error }, "could not look for due ACME orders");
        return;
      }
      if (!order) return;
      await this.run(order);
    }
  }

  private async run(order: ClaimedOrder): Promise<void> {
    const logger = this.options.logger.child({ certificateId: order.certificateId, domains: order.domains });
    logger.info({ renewal: order.renewal }, order.renewal ? "renewing a certificate" : "ordering a certificate");
    const progress = new OrderProgress((steps) =>
      saveProgress(order.certificateId, steps).catch((error: unknown) => logger.warn({ err: error }, "could not save the order's progress")),
    );
    let outcome: OrderOutcome;
    try {
      // The ACME client is loaded for the first order, not by every proxy that never orders one.
      const { runOrder } = await import("@/lib/acme/order-runner");
      const dns = order.dnsProviderId ? await this.dnsChallenge(order.dnsProviderId) : undefined;
      outcome = await runOrder(order, { challenges: this.options.challenges, progress, env: this.env, ...(dns ? { dns } : {}) });
    } catch (error) {
      outcome = { ok: false, failure: { message: "The order failed unexpectedly", detail: String(error) } };
    }
    if (outcome.ok) await this.install(order, outcome.certificate, progress, logger);
    else await this.fail(order, outcome.failure, logger);
  }

  /** DNS-01 orders only: the provider's client (and its SDK) load when an order needs them. */
  private async dnsChallenge(dnsProviderId: string): Promise<DnsChallengeOptions> {
    const [{ connectDnsProvider }, { dnsLookupFromEnv }] = await Promise.all([
      import("@/lib/services/dns-providers"),
      import("@/lib/dns/authoritative"),
    ]);
    return { provider: await connectDnsProvider(dnsProviderId), lookup: dnsLookupFromEnv(this.env) };
  }

  private async install(order: ClaimedOrder, certificate: IssuedCertificate, progress: OrderProgress, logger: Logger): Promise<void> {
    await progress.running("installed", "Saving the certificate and installing it in the proxy");
    let revision: number;
    try {
      revision = await completeOrder(order.certificateId, certificate);
    } catch (error) {
      const failure = { message: "The certificate was issued but could not be saved", detail: String(error) };
      await progress.failed("installed", failure.message, failure.detail);
      await this.fail(order, failure, logger);
      return;
    }
    this.options.publisher.trigger();
    if (await this.options.publisher.whenApplied(revision, INSTALL_TIMEOUT_MS)) {
      await progress.done("installed", "Installed: the proxy serves it now, without a restart");
    } else {
      await progress.failed("installed", "The certificate is saved, but the proxy has not installed it yet: see the site's status");
    }
    logger.info({ notAfter: certificate.notAfter }, "certificate issued and installed");
    await this.send({
      event: "certificate.issued",
      certificateId: order.certificateId,
      name: order.name,
      domains: order.domains,
      notAfter: certificate.notAfter.toISOString(),
      renewal: order.renewal,
    });
  }

  private async fail(order: ClaimedOrder, failure: PlainFailure, logger: Logger): Promise<void> {
    let nextAttemptAt: Date;
    try {
      nextAttemptAt = await failOrder(order.certificateId, failure.message);
    } catch (error) {
      logger.error({ err: error }, "could not record the failed order");
      return;
    }
    logger.warn({ error: failure.message, detail: failure.detail, nextAttemptAt }, "ACME order failed");
    if (!order.renewal) return;
    await this.send({
      event: "certificate.renewal_failed",
      certificateId: order.certificateId,
      name: order.name,
      domains: order.domains,
      error: failure.detail ? `${failure.message}. The CA said: ${failure.detail}` : failure.message,
      notAfter: (order.previousNotAfter ?? new Date()).toISOString(),
      nextAttemptAt: nextAttemptAt.toISOString(),
    });
  }

  private async checkExpiry(): Promise<void> {
    if (this.expiryRunning || this.stopped) return;
    this.expiryRunning = true;
    try {
      for (const warning of await dueExpiryWarnings(new Date())) {
        const delivered = await this.send({
          event: "certificate.expiring_soon",
          certificateId: warning.certificateId,
          name: warning.name,
          domains: warning.domains,
          daysLeft: warning.daysLeft,
          notAfter: warning.notAfter.toISOString(),
        });
        // A receiver that is down gets the warning at the next check; no receiver: nothing to wait for.
        if (delivered) await markExpiryWarned(warning.certificateId, warning.threshold);
      }
    } catch (error) {
      this.options.logger.warn({ err: error }, "could not check certificate expiry");
    } finally {
      this.expiryRunning = false;
    }
  }

  /** False only when a configured webhook could not take the event. */
  private async send(event: NotificationEvent): Promise<boolean> {
    try {
      const result = await notify(event);
      return result === null || result.ok;
    } catch (error) {
      this.options.logger.warn({ err: error, event: event.event }, "could not send the notification");
      return false;
    }
  }
}
