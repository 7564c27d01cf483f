/** The file name in a Content-Disposition header (`attachment; filename="x.gkbackup"`), else the fallback. */
export function fileNameFromDisposition(header: string | null, fallback: string): string {
  const match = header?.match(/filename="([^"]+)"/) ?? header?.match(/filename=([^;\s]+)/);
  const name = match?.[1]?.trim();
  // Only a bare name: a path in it would be the server's business, never the browser's folder.
  return name && !/[\\/]/.test(name) ? name : fallback;
}

/**
 * Hands a file the page fetched to the browser's own download, as a link to it would: a fetch
 * can send the passphrase in a POST body and read an error, which a plain link cannot.
 */
export function saveDownload(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has handed the blob over; revoking at once can cancel it in some browsers.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
