import type { Logger } from "pino";
import type { ProxyRuntime } from "../runtime/runtime-types";
import type { ExploitDetector } from "../security/exploit-detector";
import type { TrafficCounter } from "../traffic/traffic-counter";
import type { AcmeChallengeResponder } from "./acme-challenge-responder";
import type { ConnectionTracker } from "./connection-tracker";
import type { BodyPace } from "./request-body";
import type { Scheme } from "./forwarded-headers";
import type { UpstreamForwarder } from "./upstream-forwarder";

/** What the HTTP and HTTPS servers' handlers share; `scheme` is what differs between them. */
export interface HandlerContext {
  scheme: Scheme;
  /** Read once per request: the request then finishes on that generation, whatever reloads happen. */
  currentRuntime(): ProxyRuntime | null;
  forwarder: UpstreamForwarder;
  tracker: ConnectionTracker;
  /** The port HTTPS really listens on, for redirects. */
  httpsPort(): number;
  /** HTTP-01 answers, served on the HTTP port before anything else. */
  acmeChallenges: AcmeChallengeResponder;
  logger: Logger;
  /** "Block common exploits", for the sites that switch it on. */
  exploits: ExploitDetector;
  /** The pace a request body must keep. */
  bodyPace: BodyPace;
  /** Per-site, per-minute counts; null when counting is switched off. */
  traffic: TrafficCounter | null;
}
