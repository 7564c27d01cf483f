/**
 * At most `max` UTF-16 units of `text`, never ending in half a surrogate pair (which would turn
 * into a replacement character in JSON and in the browser).
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  const end = code >= 0xd800 && code <= 0xdbff ? max - 1 : max;
  return text.slice(0, end);
}
