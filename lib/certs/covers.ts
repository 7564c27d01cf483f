/** As stored: lower case, no trailing dot, punycode (the site form passes names as typed, maybe bücher.example). */
function normalize(name: string): string {
  const plain = name.trim().toLowerCase().replace(/\.$/, "");
  if (!/[^\x00-\x7f]/.test(plain)) return plain;
  const wildcard = plain.startsWith("*.");
  try {
    // The WHATWG URL parser does IDNA the same way in the browser and in Node.
    const ascii = new URL(`http://${wildcard ? plain.slice(2) : plain}`).hostname;
    return wildcard ? `*.${ascii}` : ascii;
  } catch {
    return plain;
  }
}

function isWildcardName(name: string): boolean {
  return name.startsWith("*.");
}

/**
 * One certificate name against one site hostname, as TLS clients match them (RFC 6125 6.4.3):
 * a wildcard stands for exactly one whole leftmost label and never for the bare parent domain.
 */
function nameCovers(certName: string, hostname: string): boolean {
  if (certName === "" || hostname === "") return false;
  if (certName === hostname) return true;
  // A wildcard site serves every subdomain, so only the same wildcard on the certificate covers it.
  if (isWildcardName(hostname) || !isWildcardName(certName)) return false;
  const parent = certName.slice(2);
  // Browsers refuse "*.com"-style wildcards: require at least two labels under the "*".
  if (!parent.includes(".") || parent.includes("*")) return false;
  const dot = hostname.indexOf(".");
  return dot > 0 && hostname.slice(dot + 1) === parent;
}

export function certificateCovers(domains: readonly string[], hostname: string): boolean {
  const host = normalize(hostname);
  return domains.some((domain) => nameCovers(normalize(domain), host));
}

/** Site hostnames the certificate does not cover, normalized, de-duplicated, in the given order. */
export function uncoveredHostnames(domains: readonly string[], hostnames: readonly string[]): string[] {
  const missing = hostnames.map(normalize).filter((host) => host !== "" && !certificateCovers(domains, host));
  return [...new Set(missing)];
}

const normalized = (names: readonly string[]) => [...new Set(names.map((name) => name.trim().toLowerCase()))].sort();

/** The same set of names, whatever their order, case or repeats. */
export function sameNames(a: readonly string[], b: readonly string[]): boolean {
  const left = normalized(a);
  const right = normalized(b);
  return left.length === right.length && left.every((name, index) => name === right[index]);
}

/**
 * What a new site picks up when no certificate was chosen: a wildcard certificate (not
 * self-signed, not expired) covering every one of its hostnames, the one that lasts longest.
 * The caller passes issued certificates only.
 */
export function coveringWildcard<T extends { domains: readonly string[]; daysLeft: number; source: string }>(
  certificates: readonly T[],
  hostnames: readonly string[],
): T | undefined {
  const names = hostnames.map(normalize).filter(Boolean);
  if (names.length === 0) return undefined;
  return certificates
    .filter((certificate) => certificate.source !== "self-signed" && certificate.daysLeft > 0 && certificate.domains.some(isWildcardName))
    .filter((certificate) => uncoveredHostnames(certificate.domains, names).length === 0)
    .reduce<T | undefined>((best, certificate) => (best && best.daysLeft >= certificate.daysLeft ? best : certificate), undefined);
}
