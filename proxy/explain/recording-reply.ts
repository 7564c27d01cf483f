import { NO_ANSWER } from "@/lib/schemas/explain";
import type { Reply } from "../pipeline/reply";

/** A reply that sends nothing: it keeps what the proxy would have answered. */
export class RecordingReply implements Reply {
  status = 0;
  headers: Record<string, string> = {};
  private readonly closeListeners: Array<() => void> = [];

  constructor(private readonly onAnswer: () => void) {}

  send(status: number, headers: Record<string, string> = {}): void {
    if (this.status !== 0) return;
    this.status = status;
    this.headers = headers;
    this.onAnswer();
  }

  /** No answer, the connection closed: recorded as nginx writes it. */
  drop(): void {
    this.send(NO_ANSWER);
  }

  sendBody(status: number, headers: Record<string, string>): void {
    this.send(status, headers);
  }

  get done(): boolean {
    return this.status !== 0;
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  /** Lets go of whatever the stages held until the answer was done (a connection slot). */
  close(): void {
    for (const listener of this.closeListeners.splice(0)) listener();
  }

  latencyMs(): number {
    return -1;
  }
}
