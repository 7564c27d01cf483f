/** "Name: value" per line, as headers are written; blank lines skipped. A string names the bad line. */
export function readHeaderLines(text: string): Record<string, string> | string {
  const headers: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (line.trim() === "") continue;
    const colon = line.indexOf(":");
    if (colon <= 0) return `Line ${index + 1}: write a header as Name: value, like Accept-Language: de`;
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}
