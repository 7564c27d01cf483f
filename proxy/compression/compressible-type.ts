/**
 * Media types worth compressing: text, and the structured and script formats sent as
 * application/*. Images, audio, video, archives and fonts in WOFF are compressed already.
 */
const COMPRESSIBLE: ReadonlySet<string> = new Set([
  "application/javascript",
  "application/x-javascript",
  "application/ecmascript",
  "application/json",
  "application/xml",
  "application/xhtml+xml",
  "application/wasm",
  "application/graphql-response+json",
  "application/x-ndjson",
  "application/vnd.ms-fontobject",
  "font/ttf",
  "font/otf",
  "image/svg+xml",
  "image/x-icon",
  "image/vnd.microsoft.icon",
  "image/bmp",
]);

/** The media type of a Content-Type value, lower-case and without parameters. */
export function mediaTypeOf(contentType: string): string {
  const end = contentType.indexOf(";");
  return (end === -1 ? contentType : contentType.slice(0, end)).trim().toLowerCase();
}

export function isCompressibleType(mediaType: string): boolean {
  return mediaType.startsWith("text/") || COMPRESSIBLE.has(mediaType) || mediaType.endsWith("+json") || mediaType.endsWith("+xml");
}
