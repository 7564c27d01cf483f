import path from "node:path";
import { fileURLToPath } from "node:url";
import type { NextConfig } from "next";
import { SERVER_ACTION_BODY_LIMIT_MB } from "./lib/net/server-action-body";

const root = path.dirname(fileURLToPath(import.meta.url));

// Next's own bootstrap scripts are inline; development also evaluates code for hot reloading.
const scriptSources = process.env.NODE_ENV === "production" ? "'self' 'unsafe-inline'" : "'self' 'unsafe-inline' 'unsafe-eval'";
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src ${scriptSources}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  // Forms (server actions included) post to the dashboard only.
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

// Sent on every response: the dashboard loads nothing from elsewhere, is never framed, never
// sniffed, and never leaks its URLs.
const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Native addons and packages that load files at run time must be required by Node, not bundled.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "@prisma/client",
    "@prisma/driver-adapter-utils",
    "pino",
    "thread-stream",
  ],
  // The repo root, so Turbopack does not guess a parent folder when other lockfiles exist.
  turbopack: { root },
  outputFileTracingRoot: root,
  experimental: {
    // A certificate, its chain and its key together can pass the 1 MB default.
    serverActions: { bodySizeLimit: `${SERVER_ACTION_BODY_LIMIT_MB}mb` },
  },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
