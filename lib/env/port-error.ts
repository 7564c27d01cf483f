/** One line that tells a person what to do when a port cannot be bound, instead of a stack trace. */
export function portErrorMessage(port: number, code: string, setting: string): string {
  if (code === "EACCES") {
    return (
      `Cannot listen on port ${port}: permission denied. Ports below 1024 need root or the ` +
      `CAP_NET_BIND_SERVICE capability (sudo setcap cap_net_bind_service=+ep "$(command -v node)"), ` +
      `or choose another port, e.g. ${setting}=${port < 1024 ? 8000 + port : port + 1}.`
    );
  }
  if (code === "EADDRINUSE") {
    return `Cannot listen on port ${port}: another program already uses it. Stop that program or choose another port, e.g. ${setting}=${port + 1}.`;
  }
  if (code === "EADDRNOTAVAIL") {
    return `Cannot listen on port ${port}: the address is not on this machine. Check the host setting.`;
  }
  return `Cannot listen on port ${port} (${code}). Choose another port with ${setting}.`;
}
