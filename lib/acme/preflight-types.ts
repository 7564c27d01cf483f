/** The result of checking, before ordering, that a hostname's HTTP-01 challenge can reach this proxy. */
export interface PreflightResult {
  hostname: string;
  ok: boolean;
  /** The addresses the name resolves to (empty when it does not resolve). */
  addresses: string[];
  /** Plain words, e.g. "shop.example.com resolves to 203.0.113.9, not to this server". */
  message: string;
}
