import os from "node:os";
import { z } from "zod";

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const positive = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** Every setting the product reads from the environment, with its default (listed in the README). */
const settingsSchema = z.object({
  DASHBOARD_PORT: port(3000),
  DASHBOARD_HOST: z.string().default("0.0.0.0"),
  HTTP_PORT: port(80),
  HTTPS_PORT: port(443),
  PROXY_HOST: z.string().default("0.0.0.0"),
  PROXY_WORKERS: z.coerce.number().int().min(1).max(256).default(Math.max(1, os.availableParallelism())),
  PROXY_CONTROL_PORT: port(3901),
  ADMIN_EMAIL: z.string().optional(),
  ADMIN_PASSWORD: z.string().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Slow clients: the proxy answers 408 and closes (see proxy/data-plane/server-timeouts.ts).
  CLIENT_HEADER_TIMEOUT_MS: positive(20_000),
  CLIENT_BODY_TIMEOUT_MS: positive(20_000),
  CLIENT_BODY_MIN_RATE: positive(500),
  CLIENT_KEEPALIVE_TIMEOUT_MS: positive(5_000),
});

export type Settings = z.infer<typeof settingsSchema>;

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const blankless = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = settingsSchema.safeParse(blankless);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid settings in the environment: ${problems.join("; ")}`);
  }
  return parsed.data;
}
