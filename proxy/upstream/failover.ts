import { isSkipped, type SelectableUpstream, type SelectionContext, type SelectionPolicy } from "./selection-policy";

/**
 * The first healthy upstream in the configured order; the ones after it are backups that get
 * traffic only while everything before them is down. Traffic moves back as soon as the primary
 * one is healthy again, because nothing is remembered between picks.
 */
export class Failover implements SelectionPolicy {
  pick<U extends SelectableUpstream>(upstreams: readonly U[], ctx: SelectionContext): U | null {
    return upstreams.find((upstream) => !isSkipped(upstream, ctx)) ?? null;
  }
}
