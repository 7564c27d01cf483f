import { z } from "zod";
import { streamTargetProblem } from "../net/upstream-target";
import { isPlainObject, mergeObject } from "./merge-patch";
import { nameSchema } from "./text";
import { socketUpstreamUrlSchema, upstreamWeightSchema, type Upstream } from "./upstream";
import { loadBalancingSchema, type UpstreamHealth } from "./upstream-health";
import {
  DEFAULT_STREAM_IDLE_SECONDS,
  defaultStreamHealthCheck,
  MAX_STREAM_IDLE_SECONDS,
  STREAM_PROTOCOLS,
  streamHealthCheckFields,
  streamHealthCheckSchema,
} from "./stream-options";

const MAX_STREAM_UPSTREAMS = 50;

const listenPortSchema = z
  .number({ error: "Give the port to listen on, from 1 to 65535" })
  .int("Give the port as a whole number")
  .min(1, "Use a port from 1 to 65535")
  .max(65_535, "Use a port from 1 to 65535");

/** A stream's upstream; typed as "host:port", it is TCP (withProtocolDefaults makes it UDP on a UDP stream). */
const streamUpstreamInputSchema = z
  .object({
    url: socketUpstreamUrlSchema("tcp"),
    weight: upstreamWeightSchema,
  })
  .strict();

/** The stream as the user gives it: the API, the form, the rows and the proxy take their names and types from here. */
export const streamFields = z
  .object({
    name: nameSchema("Give the stream a name"),
    protocol: z.enum(STREAM_PROTOCOLS, { error: 'Choose "tcp", "udp" or "both"' }),
    listenPort: listenPortSchema,
    upstreams: z
      .array(streamUpstreamInputSchema)
      .min(1, "Add at least one upstream server")
      .max(MAX_STREAM_UPSTREAMS, `A stream can have at most ${MAX_STREAM_UPSTREAMS} upstream servers`),
    enabled: z.boolean().default(true),
    loadBalancing: loadBalancingSchema.strict().default({ policy: "round_robin" }),
    healthCheck: streamHealthCheckFields
      .partial()
      .strict()
      .transform((sent) => ({ ...defaultStreamHealthCheck, ...sent }))
      .pipe(streamHealthCheckSchema)
      .default(defaultStreamHealthCheck),
    accessListId: z.string().min(1, "Choose an access list, or none").nullable().default(null),
    idleTimeoutSeconds: z
      .number({ error: "Give the idle timeout in seconds, like 600" })
      .int("Give a whole number of seconds")
      .min(1, "Allow at least 1 second")
      .max(MAX_STREAM_IDLE_SECONDS, `Use at most ${MAX_STREAM_IDLE_SECONDS} seconds (a week)`)
      .default(DEFAULT_STREAM_IDLE_SECONDS),
    /** TCP only: each connection to an upstream starts with a PROXY protocol v2 header naming the client. */
    proxyProtocol: z.boolean().default(false),
  })
  // A misspelt key ("port", "upstream") must not be dropped in silence.
  .strict();

/** On a UDP stream, an upstream typed as "host:port" means udp://host:port. */
function withProtocolDefaults(value: unknown): unknown {
  if (!isPlainObject(value) || value.protocol !== "udp" || !Array.isArray(value.upstreams)) return value;
  const udp = (upstream: unknown) =>
    isPlainObject(upstream) && typeof upstream.url === "string" && !upstream.url.includes("://")
      ? { ...upstream, url: `udp://${upstream.url.trim()}` }
      : upstream;
  return { ...value, upstreams: value.upstreams.map(udp) };
}

function checkStream(stream: z.output<typeof streamFields>, ctx: z.RefinementCtx): void {
  stream.upstreams.forEach(({ url }, index) => {
    const scheme = url.slice(0, 3);
    if (stream.protocol !== "both" && scheme !== stream.protocol) {
      ctx.addIssue({
        code: "custom",
        path: ["upstreams", index, "url"],
        message: `"${url}": a ${stream.protocol.toUpperCase()} stream forwards to ${stream.protocol}:// upstreams`,
      });
    }
    const problem = streamTargetProblem(url, stream.listenPort);
    if (problem !== null) ctx.addIssue({ code: "custom", path: ["upstreams", index, "url"], message: problem });
  });
  if (stream.proxyProtocol && stream.protocol === "udp") {
    ctx.addIssue({ code: "custom", path: ["proxyProtocol"], message: "The PROXY protocol is sent on TCP connections only: choose TCP or both" });
  }
}

export const streamInputSchema = z.preprocess(withProtocolDefaults, streamFields.superRefine(checkStream));
export type StreamInput = z.input<typeof streamFields>;
export type StreamData = z.output<typeof streamFields>;

/** A PATCH body: any subset of the fields; merged onto the stored stream and checked whole with streamInputSchema. */
export const streamPatchSchema = streamFields
  .extend({ loadBalancing: loadBalancingSchema.partial(), healthCheck: streamHealthCheckFields.partial().strict() })
  .partial()
  .strict();

/** The objects a PATCH merges key by key (null inside removes a key); every other field sent replaces, lists too. */
const NESTED = ["loadBalancing", "healthCheck"] as const;

/** The stored stream with the patch merged onto it, checked whole (the port's owner is the service's to check). */
export function mergeStreamPatch(current: StreamData, patch: unknown) {
  const parsedPatch = streamPatchSchema.safeParse(patch);
  if (!parsedPatch.success) return parsedPatch;
  // Only keys the caller sent override; zod's defaults must not reset stored values.
  const sent: Record<string, unknown> = { ...(patch as Record<string, unknown>) };
  for (const key of NESTED) {
    const value = sent[key];
    if (isPlainObject(value)) sent[key] = mergeObject(current[key], value);
  }
  return streamInputSchema.safeParse({ ...current, ...sent });
}

/** A stored stream: what was given, plus what the product knows about it. */
export type Stream = Omit<StreamData, "upstreams"> & {
  id: string;
  upstreams: (Upstream & { health: UpstreamHealth })[];
  status: { applied: boolean; appliedRevision: number | null; error: string | null };
  createdAt: string;
  updatedAt: string;
};
