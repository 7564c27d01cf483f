import { z } from "zod";
import { certificateMaterialSchema, type CertificateMaterial } from "@/lib/schemas/snapshot";
import type { CertificateMaterialMessage, WorkerToPrimary } from "../ipc";
import type { MaterialSource } from "./certificate-store";

/** A handshake waits this long for the primary's answer before it gets the fallback certificate. */
export const MATERIAL_TIMEOUT_MS = 5_000;

const messageSchema = z.union([
  z.object({ type: z.literal("certificate-material"), id: z.string(), material: certificateMaterialSchema }),
  z.object({ type: z.literal("certificate-material"), id: z.string(), error: z.string() }),
]);

export function isCertificateMaterialMessage(message: unknown): message is CertificateMaterialMessage {
  return messageSchema.safeParse(message).success;
}

/**
 * A worker's MaterialSource: asks the primary (which reads the database and opens the key) and
 * waits for its answer. Concurrent handshakes for one certificate share one question.
 */
export class MaterialFromPrimary {
  private readonly waiting = new Map<string, Array<{ resolve: (material: CertificateMaterial) => void; reject: (error: Error) => void }>>();

  constructor(
    private readonly send: (message: WorkerToPrimary) => void,
    private readonly timeoutMs: number = MATERIAL_TIMEOUT_MS,
  ) {}

  readonly source: MaterialSource = (id) =>
    new Promise((resolve, reject) => {
      const waiters = this.waiting.get(id);
      const timer = setTimeout(() => this.settle(id, new Error("The proxy primary did not send the certificate in time.")), this.timeoutMs);
      const waiter = {
        resolve: (material: CertificateMaterial) => {
          clearTimeout(timer);
          resolve(material);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      if (waiters) return void waiters.push(waiter);
      this.waiting.set(id, [waiter]);
      this.send({ type: "certificate-wanted", id });
    });

  /** The primary's answer. */
  receive(message: CertificateMaterialMessage): void {
    this.settle(message.id, "material" in message ? message.material : new Error(message.error));
  }

  private settle(id: string, outcome: CertificateMaterial | Error): void {
    const waiters = this.waiting.get(id) ?? [];
    this.waiting.delete(id);
    for (const waiter of waiters) {
      if (outcome instanceof Error) waiter.reject(outcome);
      else waiter.resolve(outcome);
    }
  }
}
