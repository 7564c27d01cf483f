import { randomBytes } from "node:crypto";
import type { PrimaryToWorker } from "../ipc";

/** A day is the most Mozilla's guidelines allow one ticket key to live; rotate well within it. */
export const TICKET_KEY_ROTATION_MS = 12 * 60 * 60 * 1000;

/**
 * Gives every worker the same TLS session-ticket keys and replaces them regularly. Node holds
 * one key set at a time, so a ticket issued before a rotation falls back to a full handshake:
 * the price of forward secrecy for resumed sessions. Keys live only in memory.
 */
export function startTicketKeyRotation(broadcast: (message: PrimaryToWorker) => void, rotationMs = TICKET_KEY_ROTATION_MS): () => void {
  const rotate = () => broadcast({ type: "tls-ticket-keys", keys: randomBytes(48).toString("base64") });
  rotate();
  const timer = setInterval(rotate, rotationMs);
  timer.unref();
  return () => clearInterval(timer);
}
