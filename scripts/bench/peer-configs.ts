/**
 * The peers' configurations, each set up the fair way (RECIPES.md "Peers for side-by-side
 * benchmarks"): keep-alive to the backend, as many workers or threads as the product has, the
 * same certificate, HTTP/2 offered by ALPN, websockets passed through, no access log (the
 * product's counting is on, which only makes the comparison harder for it).
 */
export interface PeerSetup {
  /** Everything the peer writes (pid file, temp files, state) stays here. */
  dir: string;
  backendPort: number;
  httpPort: number;
  httpsPort: number;
  workers: number;
  certPath: string;
  keyPath: string;
  /** Certificate and key in one file, as HAProxy's `crt` wants them. */
  combinedPemPath: string;
}

/** Idle upstream connections each nginx worker keeps: one per load connection. */
const NGINX_UPSTREAM_KEEPALIVE = 64;
const NGINX_WORKER_CONNECTIONS = 4096;

export function nginxConfig(setup: PeerSetup): string {
  return `worker_processes ${setup.workers};
daemon off;
pid ${setup.dir}/nginx.pid;
error_log stderr warn;
events { worker_connections ${NGINX_WORKER_CONNECTIONS}; }
http {
  access_log off;
  # Compression as the product does it for the page scenarios: text/html from 1 KB, zlib's level 6.
  gzip on;
  gzip_comp_level 6;
  gzip_min_length 1024;
  client_body_temp_path ${setup.dir}/client_body;
  proxy_temp_path ${setup.dir}/proxy;
  fastcgi_temp_path ${setup.dir}/fastcgi;
  uwsgi_temp_path ${setup.dir}/uwsgi;
  scgi_temp_path ${setup.dir}/scgi;
  # "Connection: upgrade" for websockets, and "" otherwise so that upstream connections stay open.
  map $http_upgrade $connection_upgrade { default upgrade; "" ""; }
  upstream backend {
    server 127.0.0.1:${setup.backendPort};
    keepalive ${NGINX_UPSTREAM_KEEPALIVE};
  }
  server {
    listen 127.0.0.1:${setup.httpPort};
    listen 127.0.0.1:${setup.httpsPort} ssl http2;
    ssl_certificate ${setup.certPath};
    ssl_certificate_key ${setup.keyPath};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
    }
  }
}
`;
}

export function haproxyConfig(setup: PeerSetup): string {
  return `global
  nbthread ${setup.workers}
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
  timeout tunnel 1h
  http-reuse always
  compression algo gzip
  compression type text/html
frontend bench
  bind 127.0.0.1:${setup.httpPort}
  bind 127.0.0.1:${setup.httpsPort} ssl crt ${setup.combinedPemPath} alpn h2,http/1.1
  default_backend backend
backend backend
  server backend 127.0.0.1:${setup.backendPort}
`;
}

/** Caddy's worker count is GOMAXPROCS, which defaults to the number of cores, as the product's workers do. */
export function caddyConfig(setup: PeerSetup): string {
  return `{
  admin off
  auto_https off
  storage file_system ${setup.dir}/caddy-data
}
http://:${setup.httpPort} {
  bind 127.0.0.1
  encode gzip
  reverse_proxy 127.0.0.1:${setup.backendPort}
}
https://:${setup.httpsPort} {
  bind 127.0.0.1
  tls ${setup.certPath} ${setup.keyPath}
  encode gzip
  reverse_proxy 127.0.0.1:${setup.backendPort}
}
`;
}

/** What scripts/bench/node-floor.mjs reads. */
export function nodeFloorConfig(setup: PeerSetup): string {
  const { backendPort, httpPort, httpsPort, workers, certPath, keyPath } = setup;
  return JSON.stringify({ backendPort, httpPort, httpsPort, workers, certPath, keyPath });
}
