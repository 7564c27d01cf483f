import type { X509Certificate } from "node:crypto";
import http2 from "node:http2";
import net from "node:net";
import tls from "node:tls";
import type { TlsPolicy } from "@/lib/schemas/site-security";
import type { FallbackCertificate } from "../ipc";
import { duplexPair } from "./duplex-pair";
import { createTlsDispatcher } from "./tls-dispatcher";
import { tlsPolicyOptions } from "./tls-policy";

/** Streams one HTTP/2 connection may have open at once; more are refused (RFC 9113 5.1.2). */
export const H2_MAX_CONCURRENT_STREAMS = 128;
/**
 * Stream resets a client may send: a burst, then so many per second. A client over it gets
 * GOAWAY and its connection closed: the rapid-reset attack (CVE-2023-44487) opens and cancels
 * streams faster than any server can start and stop their work.
 */
export const H2_STREAM_RESET_BURST = 200;
export const H2_STREAM_RESET_RATE = 50;

// Typed as a plain object: Node 20.12 has these options, its type definitions do not yet.
const RAPID_RESET_LIMITS: object = { streamResetBurst: H2_STREAM_RESET_BURST, streamResetRate: H2_STREAM_RESET_RATE };

/** The Node HTTP/1.1 server settings the HTTPS servers share with the HTTP one (timeouts). */
export interface Http1ServerSettings {
  headersTimeout: number;
  requestTimeout: number;
  keepAliveTimeout: number;
}

export interface TlsFrontOptions {
  /** What every HTTPS server applies to its HTTP/1.1 connections. */
  http1: Http1ServerSettings;
  /**
   * The context to present for a server name: its site's, a covering certificate's, else the
   * fallback; a promise while a certificate's context is being built.
   */
  contextFor(servername: string): tls.SecureContext | undefined | Promise<tls.SecureContext | undefined>;
  /** The TLS policy of the site that serves this server name. */
  policyFor(servername: string): TlsPolicy;
  /**
   * Takes a connection whose server name belongs to a pass-through site (true), before any TLS
   * server sees it; the ClientHello bytes are already put back. Absent: every name is terminated.
   */
  passThrough?(servername: string, socket: net.Socket): boolean;
  /** A client must have sent its whole ClientHello, and then finished the handshake, within this time. */
  handshakeTimeoutMs: number;
}

export interface PresentedCertificate {
  fingerprint256: string;
  /** The names it is for, as people read them ("a.example, *.b.example"). */
  names: string;
}

/**
 * Terminates TLS for the HTTPS port. Each connection's ClientHello picks its server: one per TLS
 * policy for clients that send a server name, and one for clients that send none.
 *
 * Only the no-SNI server has a default certificate. OpenSSL keeps the default certificate's key
 * next to the one an SNI callback switches to, one per key type, and then presents whichever the
 * client's signature algorithms prefer: with an EC default, every RSA site got the default
 * certificate. A server without a default certificate presents exactly what the callback chose.
 */
export class TlsFront {
  /** Raw TCP connections of the HTTPS port arrive here (from the primary, or by listen()). */
  readonly listener: net.Server;
  /** The HTTPS servers behind the front (HTTP/2 and HTTP/1.1 by ALPN): request handlers are attached to each. */
  readonly servers: readonly http2.Http2SecureServer[];
  private readonly bySniPolicy: Record<TlsPolicy, http2.Http2SecureServer>;
  private readonly noSni: http2.Http2SecureServer;

  constructor(private readonly options: TlsFrontOptions) {
    const server = (policy: TlsPolicy, sni: boolean) => {
      const created = http2.createSecureServer({
        ...tlsPolicyOptions(policy),
        // ALPN offers h2 first, then http/1.1; clients without ALPN get HTTP/1.1.
        allowHTTP1: true,
        handshakeTimeout: options.handshakeTimeoutMs,
        settings: { maxConcurrentStreams: H2_MAX_CONCURRENT_STREAMS },
        ...RAPID_RESET_LIMITS,
        // A built context is picked at once; the first handshake for a certificate waits for its build.
        ...(sni
          ? {
              SNICallback: (servername: string, callback: (error: Error | null, context?: tls.SecureContext) => void) => {
                const fail = (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)));
                try {
                  const chosen = options.contextFor(servername);
                  if (chosen instanceof Promise) chosen.then((context) => callback(null, context), fail);
                  else callback(null, chosen);
                } catch (error) {
                  fail(error);
                }
              },
            }
          : {}),
      });
      // HTTP/1.1 connections on an HTTP/2 server are run by Node's HTTP/1.1 code, which reads these.
      Object.assign(created, options.http1);
      return created;
    };
    this.bySniPolicy = { intermediate: server("intermediate", true), modern: server("modern", true) };
    this.noSni = server("intermediate", false);
    this.servers = [this.bySniPolicy.intermediate, this.bySniPolicy.modern, this.noSni];
    this.listener = net.createServer(
      createTlsDispatcher({
        pick: (servername) => (servername === null ? this.noSni : this.bySniPolicy[options.policyFor(servername)]),
        passThrough: options.passThrough,
        helloTimeoutMs: options.handshakeTimeoutMs,
      }),
    );
  }

  /** The certificate for clients that send no server name (and, through contextFor, for unknown names). */
  setFallback(certificate: FallbackCertificate): void {
    this.noSni.setSecureContext({
      cert: certificate.certificatePem,
      key: certificate.privateKeyPem,
      ...tlsPolicyOptions("intermediate"),
    });
  }

  /** Session-ticket keys shared by all workers, so a session resumes on whichever worker. */
  setTicketKeys(keys: Buffer): void {
    for (const server of this.servers) server.setTicketKeys(keys);
  }

  private readonly checkerContexts = new Map<tls.SecureVersion, tls.SecureContext>();

  private checkerContext(version: tls.SecureVersion): tls.SecureContext {
    let context = this.checkerContexts.get(version);
    if (context === undefined) {
      context = tls.createSecureContext({ minVersion: version, maxVersion: version });
      this.checkerContexts.set(version, context);
    }
    return context;
  }

  /** Serves a connection accepted elsewhere. */
  accept(socket: net.Socket): void {
    this.listener.emit("connection", socket);
  }

  /**
   * What a real client asking for this name is shown: a full handshake through the same
   * dispatcher and servers as every connection, over an in-memory pair instead of a port.
   */
  presentedCertificate(servername: string, version: tls.SecureVersion): Promise<PresentedCertificate> {
    const [client, server] = duplexPair();
    return new Promise((resolve, reject) => {
      const socket = tls.connect({ socket: client, servername, secureContext: this.checkerContext(version), rejectUnauthorized: false });
      const timer = setTimeout(() => socket.destroy(new Error("no answer")), this.options.handshakeTimeoutMs);
      socket.once("secureConnect", () => {
        const certificate = socket.getPeerX509Certificate();
        socket.destroy();
        if (certificate === undefined) reject(new Error("no certificate"));
        else resolve({ fingerprint256: certificate.fingerprint256, names: certificateNames(certificate) });
      });
      socket.once("error", reject);
      socket.once("close", () => clearTimeout(timer));
      this.accept(server as net.Socket);
    });
  }
}

function certificateNames(certificate: X509Certificate): string {
  const names = (certificate.subjectAltName ?? "")
    .split(", ")
    .filter((entry) => entry.startsWith("DNS:"))
    .map((entry) => entry.slice(4));
  return names.length > 0 ? names.join(", ") : certificate.subject.replace(/^CN=/, "");
}
