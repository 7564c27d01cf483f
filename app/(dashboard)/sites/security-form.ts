import { defaultSecurityHeaders, type CustomHeaders } from "@/lib/schemas/site-security";
import { checked, text } from "@/app/_lib/form-state";
import { HEADER_KINDS, isRemoval, type HeaderKind } from "./security-labels";

/** Form fields of the security settings that hold their own errors. */
export const SECURITY_FIELDS = [
  "accessListId",
  "rateLimitOn",
  "rateLimitRps",
  "rateLimitBurst",
  "rateLimitMaxConnections",
  "blockExploits",
  "securityHeadersOn",
  "frameOptions",
  "contentTypeOptions",
  "referrerPolicy",
  "permissionsPolicy",
  "contentSecurityPolicy",
  "hstsMaxAge",
  "hstsIncludeSubDomains",
  "customHeaders",
  "tlsPolicy",
] as const;

/** Where the service's field paths show up in the form. */
const FORM_FIELD: Record<string, string> = {
  rateLimit: "rateLimitOn",
  "rateLimit.requestsPerSecond": "rateLimitRps",
  "rateLimit.burst": "rateLimitBurst",
  "rateLimit.maxConnectionsPerIp": "rateLimitMaxConnections",
  securityHeaders: "securityHeadersOn",
  "securityHeaders.frameOptions": "frameOptions",
  "securityHeaders.contentTypeOptions": "contentTypeOptions",
  "securityHeaders.referrerPolicy": "referrerPolicy",
  "securityHeaders.permissionsPolicy": "permissionsPolicy",
  "securityHeaders.contentSecurityPolicy": "contentSecurityPolicy",
  "securityHeaders.hsts": "hstsMaxAge",
  "securityHeaders.hsts.maxAge": "hstsMaxAge",
  "securityHeaders.hsts.includeSubDomains": "hstsIncludeSubDomains",
};

/** The field names of one custom header row (no dots: form errors are keyed by the part before one). */
export const headerRowField = (row: number, part: "name" | "value"): string => `header-${row}-${part}`;

/** For each of the four lists, which row of the form each entry came from. */
export type HeaderRowIndex = Record<HeaderKind, number[]>;

export interface ReadSecurityForm {
  input: Record<string, unknown>;
  /** What the form itself found wrong (a number that is not one), by service path. */
  problems: Record<string, string>;
  headerRows: HeaderRowIndex;
  /** Every field name an error can be shown at, the rows' fields included. */
  fields: string[];
}

export function readSecurityForm(formData: FormData): ReadSecurityForm {
  const problems: Record<string, string> = {};
  /** A number as typed, or NaN (with a problem noted) so the schema still checks the rest. */
  const numberIn = (name: string, path: string, { whole, example, what }: { whole: boolean; example: string; what: string }): number => {
    const value = text(formData, name).trim();
    // A number out of range (a negative cap) is still a number: the schema says what range it takes.
    if ((whole ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/).test(value)) return Number(value);
    problems[path] = value === "" ? `Enter ${what}, like ${example}` : `Use ${whole ? "a whole number" : "a number"} for ${what}, like ${example}`;
    return Number.NaN;
  };

  const rateLimit = checked(formData, "rateLimitOn")
    ? {
        requestsPerSecond: numberIn("rateLimitRps", "rateLimit.requestsPerSecond", { whole: false, example: "20", what: "the requests per second" }),
        burst: numberIn("rateLimitBurst", "rateLimit.burst", { whole: true, example: "50", what: "the burst" }),
        // Empty: no cap (null drops a stored one).
        maxConnectionsPerIp:
          text(formData, "rateLimitMaxConnections").trim() === ""
            ? null
            : numberIn("rateLimitMaxConnections", "rateLimit.maxConnectionsPerIp", { whole: true, example: "20", what: "the connections" }),
      }
    : null;

  const hsts = {
    maxAge: numberIn("hstsMaxAge", "securityHeaders.hsts.maxAge", { whole: true, example: "31536000", what: "the seconds" }),
    includeSubDomains: checked(formData, "hstsIncludeSubDomains"),
  };
  const securityHeaders = checked(formData, "securityHeadersOn")
    ? {
        hsts,
        frameOptions: text(formData, "frameOptions"),
        contentTypeOptions: checked(formData, "contentTypeOptions"),
        referrerPolicy: text(formData, "referrerPolicy"),
        permissionsPolicy: text(formData, "permissionsPolicy"),
        contentSecurityPolicy: text(formData, "contentSecurityPolicy"),
      }
    : headersOffKeeping(hsts);

  const { customHeaders, headerRows, rowCount } = readHeaderRows(formData);
  const accessListId = text(formData, "accessListId");
  return {
    input: {
      accessListId: accessListId === "" ? null : accessListId,
      rateLimit,
      blockExploits: checked(formData, "blockExploits"),
      securityHeaders,
      customHeaders,
      tlsPolicy: text(formData, "tlsPolicy"),
    },
    problems,
    headerRows,
    fields: [...SECURITY_FIELDS, ...Array.from({ length: rowCount }, (_, row) => [headerRowField(row, "name"), headerRowField(row, "value")]).flat()],
  };
}

/**
 * Security headers off. The HSTS options live with them, so options someone changed are kept in
 * a preset that sends no header of its own; the defaults need nothing stored (null).
 */
function headersOffKeeping(hsts: { maxAge: number; includeSubDomains: boolean }) {
  const defaults = defaultSecurityHeaders.hsts;
  if (hsts.maxAge === defaults.maxAge && hsts.includeSubDomains === defaults.includeSubDomains) return null;
  return { hsts, frameOptions: "off", contentTypeOptions: false, referrerPolicy: "off", permissionsPolicy: "", contentSecurityPolicy: "" };
}

/** The rows (kind, name, value, repeated in order) as the four lists, remembering each entry's row. */
function readHeaderRows(formData: FormData): { customHeaders: Record<HeaderKind, unknown[]>; headerRows: HeaderRowIndex; rowCount: number } {
  const strings = (name: string) => formData.getAll(name).map((value) => (typeof value === "string" ? value : ""));
  const kinds = strings("headerKind");
  const names = strings("headerName");
  const values = strings("headerValue");
  const customHeaders: Record<HeaderKind, unknown[]> = { requestSet: [], requestRemove: [], responseSet: [], responseRemove: [] };
  const headerRows: HeaderRowIndex = { requestSet: [], requestRemove: [], responseSet: [], responseRemove: [] };
  kinds.forEach((kindText, row) => {
    const kind = HEADER_KINDS.find((option) => option.value === kindText)?.value ?? "responseSet";
    const name = names[row] ?? "";
    const value = values[row] ?? "";
    // A row added and left empty is no header at all.
    if (name.trim() === "" && (isRemoval(kind) || value.trim() === "")) return;
    customHeaders[kind].push(isRemoval(kind) ? name : { name, value });
    headerRows[kind].push(row);
  });
  return { customHeaders, headerRows, rowCount: kinds.length };
}

/**
 * The form field that shows the error at a service path: "customHeaders.responseSet.1.name" is
 * the name of the form row that entry came from. Undefined for paths outside the security settings.
 */
export function securityFormField(path: string, headerRows: HeaderRowIndex): string | undefined {
  if (path in FORM_FIELD) return FORM_FIELD[path];
  const [head, list, index, part] = path.split(".");
  if (head !== "customHeaders") return undefined;
  const row = list !== undefined && list in headerRows && index !== undefined ? headerRows[list as keyof CustomHeaders][Number(index)] : undefined;
  if (row === undefined) return "customHeaders";
  return headerRowField(row, part === "value" ? "value" : "name");
}
