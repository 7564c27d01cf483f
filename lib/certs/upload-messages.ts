/**
 * Every sentence a person sees when an upload is refused or warned about. They are written for
 * someone who has a folder of files from their certificate authority and no TLS vocabulary, so
 * each one says what was found, what was expected, and what to do next.
 */
import type { PemBlockKind, PemProblem } from "./pem";

export type FieldName = "certificate" | "private key" | "chain";

const BEGIN_CERTIFICATE = '"-----BEGIN CERTIFICATE-----"';
const BEGIN_PRIVATE_KEY = '"-----BEGIN PRIVATE KEY-----"';

/** "2025-03-01 14:00 UTC": unambiguous in every locale. */
export function formatDate(date: Date): string {
  return date.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

function quotedList(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(", ");
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

const expected: Record<FieldName, string> = {
  certificate: `It starts with ${BEGIN_CERTIFICATE}.`,
  "private key": `It starts with ${BEGIN_PRIVATE_KEY} (or "-----BEGIN RSA PRIVATE KEY-----" or "-----BEGIN EC PRIVATE KEY-----").`,
  chain: `The chain is the intermediate certificates from your certificate authority; each starts with ${BEGIN_CERTIFICATE}.`,
};

const derConversion: Record<FieldName, string> = {
  certificate: "openssl x509 -inform der -in certificate.der -out certificate.pem",
  "private key": "openssl pkey -inform der -in private.der -out private.key",
  chain: "openssl x509 -inform der -in chain.der -out chain.pem",
};

export const empty = {
  certificate: `Paste the certificate. ${expected.certificate}`,
  privateKey: `Paste the private key. ${expected["private key"]}`,
  privateKeyInCertificateField: "Paste the private key here. The Certificate field contains a private key: move it here.",
};

export function notPem(field: FieldName): string {
  return (
    `This is not a ${field} in PEM format. A PEM file is text that starts with a line like ` +
    `"-----BEGIN ...-----" and ends with one like "-----END ...-----". Open the file in a text editor ` +
    `and paste all of it, including those two lines. ${expected[field]}`
  );
}

export function binary(field: FieldName): string {
  return (
    `This looks like a binary (DER) file, not PEM text. Convert it first by running: ` +
    `${derConversion[field]} and then paste the contents of the new file.`
  );
}

export function headerlessBase64(field: FieldName, looksLike: "certificate" | "private key" | "unknown"): string {
  const what = looksLike === "unknown" ? "PEM text" : `a ${looksLike}`;
  const wrongField = looksLike !== "unknown" && looksLike !== field && !(field === "chain" && looksLike === "certificate");
  const label = looksLike === "private key" ? "PRIVATE KEY" : "CERTIFICATE";
  const missing = `This looks like ${what} without its "-----BEGIN ${label}-----" and "-----END ${label}-----" lines.`;
  if (wrongField) return `${missing} It is not a ${field}, so it does not belong in this field. ${expected[field]}`;
  return `${missing} Paste the whole file, including those two lines.`;
}

export function malformed(problem: PemProblem): string {
  switch (problem.type) {
    case "missing-end":
      return `The "-----END ${problem.label}-----" line is missing: the text was probably cut off while copying. Copy the whole file again.`;
    case "missing-begin":
      return `The "-----BEGIN ${problem.label}-----" line is missing: the start of the text was probably cut off while copying. Copy the whole file again.`;
    case "mismatched-end":
      return (
        `"-----BEGIN ${problem.label}-----" is closed by "-----END ${problem.endLabel}-----": ` +
        `the text seems to be pieced together from different files. Copy the whole file again.`
      );
    case "bad-base64":
      return (
        `The text between "-----BEGIN ${problem.label}-----" and "-----END ${problem.label}-----" is damaged: ` +
        `it contains characters that do not belong there, or some are missing. Copy the whole file again, without editing it.`
      );
  }
}

/** The field holds valid PEM, just not the kind of thing that field is for. */
export function wrongContent(field: FieldName, found: PemBlockKind, labels: readonly string[]): string {
  switch (found) {
    case "certificate":
      return (
        `This is a certificate, not a private key: it belongs in the Certificate field. The private key is a ` +
        `separate file, created together with the certificate request, usually ending in .key (privkey.pem ` +
        `for Let's Encrypt). ${expected["private key"]}`
      );
    case "private-key":
    case "encrypted-private-key":
      return field === "chain"
        ? `This is a private key, not a certificate chain: it belongs in the Private key field. ${expected.chain}`
        : `This is a private key, not a certificate: it belongs in the Private key field. Paste the certificate here instead. ${expected.certificate}`;
    case "openssh-private-key":
      return `This is an SSH key (for logging in to servers), not the ${field} of a website certificate. ` + expected[field];
    case "certificate-request":
      return field === "private key"
        ? `This is a certificate signing request (CSR), not a private key. The private key was created together with it, usually in a file ending in .key. ${expected["private key"]}`
        : `This is a certificate signing request (CSR), not a certificate. Send it to your certificate authority; the certificate they send back goes here. ${expected.certificate}`;
    case "public-key":
      return field === "private key"
        ? `This is a public key. Paste the private key instead, the secret half that was created together with it. ${expected["private key"]}`
        : `This is a public key, not a certificate. ${expected[field]}`;
    case "parameters":
    case "other":
      return `This PEM text holds ${quotedList(labels)}, which is not a ${field}. ${expected[field]}`;
  }
}

export function unreadableCertificate(index: number, count: number): string {
  const which = count === 1 ? "The certificate" : `Certificate number ${index + 1} of ${count}`;
  return (
    `${which} could not be read: its BEGIN and END lines are there, but the text between them is not a ` +
    `valid certificate. Copy the whole file again, without editing it.`
  );
}

export const unreadableKey =
  "The private key could not be read: its BEGIN and END lines are there, but the text between them is not a " +
  "valid key, or it is a kind of key that is not supported. Copy the whole file again, without editing it.";

export function severalKeys(count: number): string {
  return `This field holds ${count} private keys. Paste only the one that belongs to this certificate.`;
}

export const encryptedKey =
  "This private key is protected with a passphrase, which is not supported. Remove the passphrase first by " +
  "running: openssl pkey -in encrypted.key -out plain.key (use your key's file name instead of encrypted.key; " +
  "it asks for the passphrase), then paste the contents of plain.key here. Keep plain.key as secret as the original.";

export function keyMismatch(leafName: string): string {
  return (
    `This private key does not belong to the certificate for ${leafName}. A certificate works only with the key ` +
    `it was requested with: paste the key that was created together with this certificate's request (CSR), ` +
    `often named like ${leafName.replace(/^\*\./, "")}.key or privkey.pem.`
  );
}

export function leafNotFirst(leafName: string, position: number, count: number): string {
  return (
    `Your site's certificate (for ${leafName}) must come first in this field, followed by the intermediate ` +
    `certificates. Here it is number ${position} of ${count}: move it to the top.`
  );
}

export function leafInChainField(leafName: string): string {
  return (
    `This is not the certificate for your private key. The one that matches it (for ${leafName}) is in the ` +
    `Chain field: move it here, and leave only the intermediate certificates in the Chain field.`
  );
}

export function expired(notAfter: Date, daysAgo: number, issuer: string): string {
  const ago = daysAgo < 1 ? "less than a day ago" : `${plural(daysAgo, "day")} ago`;
  return (
    `This certificate expired on ${formatDate(notAfter)} (${ago}). Browsers refuse expired certificates: ` +
    `renew it with the authority that issued it (${issuer}) and upload the new one.`
  );
}

export function notYetValid(notBefore: Date): string {
  return (
    `This certificate is not valid yet: it starts to be valid on ${formatDate(notBefore)}. Upload it after ` +
    `that time, or check that this computer's clock is right.`
  );
}

export const selfSignedWithChain = "This certificate is self-signed, so it has no chain: leave the Chain field empty.";

export function unrelatedChain(leafIssuer: string, chainNames: readonly string[]): string {
  return (
    `These certificates are not the chain of this certificate. Your certificate was issued by "${leafIssuer}", ` +
    `but none of the chain certificates (${quotedList(chainNames)}) signed it. Use the intermediate certificates ` +
    `from the authority that issued it, or leave the chain empty.`
  );
}

export function chainOutOfOrder(correctOrder: readonly string[]): string {
  return (
    `The chain certificates are in the wrong order. Each certificate must be followed by the one that signed it; ` +
    `the right order after your certificate is: ${correctOrder.map((name) => `"${name}"`).join(", then ")}.`
  );
}

export function chainExtra(extraNames: readonly string[]): string {
  return (
    `The chain contains ${extraNames.length === 1 ? "a certificate" : "certificates"} that ` +
    `${extraNames.length === 1 ? "does" : "do"} not belong to this certificate's chain: ${quotedList(extraNames)}. Remove ` +
    `${extraNames.length === 1 ? "it" : "them"}.`
  );
}

export function notCovered(missing: readonly string[], domains: readonly string[]): string {
  const covers = domains.length > 0 ? ` It covers: ${domains.join(", ")}.` : " It does not name any domain.";
  return (
    `This certificate does not cover ${missing.join(", ")}: visitors to ${missing.length === 1 ? "that address" : "those addresses"} ` +
    `will see a security warning.${covers}`
  );
}

export const selfSigned =
  "This certificate is self-signed: browsers will warn visitors that the connection is not private, unless " +
  "their devices were set up to trust it. Use it for testing or internal sites only.";

export function expiresSoon(notAfter: Date, days: number): string {
  const when = days < 1 ? "within a day" : `in ${plural(days, "day")}`;
  return `This certificate expires ${when}, on ${formatDate(notAfter)}. Renew it soon.`;
}

export function chainCertificateExpired(name: string, notAfter: Date): string {
  return (
    `The chain certificate "${name}" expired on ${formatDate(notAfter)}. Some visitors' browsers may refuse ` +
    `the site: get a current chain from your certificate authority.`
  );
}

export function missingChain(issuer: string): string {
  return (
    `No chain (intermediate certificates) was given. Unless "${issuer}" is itself trusted by browsers, visitors ` +
    `may see a security warning: paste the intermediate certificates into the Chain field (for Let's Encrypt, ` +
    `upload fullchain.pem rather than cert.pem).`
  );
}
