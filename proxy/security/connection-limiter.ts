/**
 * Requests in progress per client address, capped at `maxPerClient`. An entry exists only while
 * its client has a request in progress, so memory follows the open connections, never the number
 * of addresses ever seen.
 */
export class ConnectionLimiter {
  private readonly open = new Map<string, number>();

  constructor(readonly maxPerClient: number) {}

  /** Counts one more for the client, or answers false (and counts nothing) when at the cap. */
  acquire(client: string): boolean {
    const current = this.open.get(client) ?? 0;
    if (current >= this.maxPerClient) return false;
    this.open.set(client, current + 1);
    return true;
  }

  release(client: string): void {
    const current = this.open.get(client);
    if (current === undefined) return;
    if (current <= 1) this.open.delete(client);
    else this.open.set(client, current - 1);
  }

  get clientCount(): number {
    return this.open.size;
  }
}
