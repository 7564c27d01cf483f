/** The host to show in a URL for a listening address: a wildcard address is reached as localhost. */
export function displayHost(host: string): string {
  return host === "0.0.0.0" || host === "::" ? "localhost" : host;
}
