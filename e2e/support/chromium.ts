/** Debian's Chromium by default: the tests never download a browser. */
export const chromiumPath = (): string => process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
