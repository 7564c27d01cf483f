import type { Logger } from "pino";
import type { AcmeChallengeResponder } from "../data-plane/acme-challenge-responder";
import type { BodyPace } from "../data-plane/request-body";
import type { ProxyRuntime } from "../runtime/runtime-types";
import type { ExploitDetector } from "../security/exploit-detector";
import type { RequestContext, RequestKind } from "./request-context";

/** What the stages share across requests: the data plane's parts, never per-request state. */
export interface PipelineEnv {
  /** Read once per request, when its context is made. */
  currentRuntime(): ProxyRuntime | null;
  /** The port HTTPS really listens on, for redirects. */
  httpsPort(): number;
  acmeChallenges: AcmeChallengeResponder;
  /** "Block common exploits", for the sites that switch it on. */
  exploits: ExploitDetector;
  /** The pace a request body must keep. */
  bodyPace: BodyPace;
  logger: Logger;
  /** Counts the request as its site's traffic once it is done; nothing when counting is off. */
  countTraffic(ctx: RequestContext): void;
  /** The final stage: what differs between a request and an upgrade is only how it is forwarded. */
  forward: Readonly<Record<RequestKind, (ctx: RequestContext) => void>>;
}
