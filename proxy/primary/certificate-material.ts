import type { Worker } from "node:cluster";
import type { Logger } from "pino";
import { loadCertificateMaterial } from "@/lib/config/load-certificate-material";
import type { PrimaryToWorker } from "../ipc";

/** Answers a worker's "certificate-wanted": the PEM text and opened key, or why there are none. */
export async function sendCertificateMaterial(worker: Worker, id: string, logger: Logger): Promise<void> {
  let answer: PrimaryToWorker;
  try {
    answer = { type: "certificate-material", id, material: await loadCertificateMaterial(id) };
  } catch (error) {
    logger.warn({ certificateId: id, err: error }, "a worker asked for a certificate that cannot be loaded");
    answer = { type: "certificate-material", id, error: error instanceof Error ? error.message : String(error) };
  }
  if (worker.isConnected()) worker.send(answer);
}
