import { defaultSecurityHeaders, type CustomHeaders } from "@/lib/schemas/site-security";
import { checked, text } from "@/app/_lib/form-state";
import { HEADER_KINDS, isRemoval, type HeaderKind } from "./security-labels";

/** The field names of one custom header row. No schema path: the form numbers its rows across the four lists. */
export const headerRowField = (row: number, part: "name" | "value"): string => `header-${row}-${part}`;

/** For each of the four lists, which row of the form each entry came from. */
export type HeaderRowIndex = Record<HeaderKind, number[]>;

export interface ReadSecurityForm {
  input: Record<string, unknown>;
  /** What the form itself found wrong (a number that is not one), by service path. */
  problems: Record<string, string>;
  headerRows: HeaderRowIndex;
  /** The rows' fields, where errors in their entries are shown. */
  headerFields: string[];
}

export function readSecurityForm(formData: FormData): ReadSecurityForm {
  const problems: Record<string, string> = {};
  /** A number as typed, or NaN (with a problem noted) so the schema still checks the rest. */
  const numberIn = (path: string, { whole, example, what }: { whole: boolean; example: string; what: string }): number => {
    const value = text(formData, path).trim();
    // A number out of range (a negative cap) is still a number: the schema says what range it takes.
    if ((whole ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/).test(value)) return Number(value);
    problems[path] = value === "" ? `Enter ${what}, like ${example}` : `Use ${whole ? "a whole number" : "a number"} for ${what}, like ${example}`;
    return Number.NaN;
  };

  const rateLimit = checked(formData, "rateLimit")
    ? {
        requestsPerSecond: numberIn("rateLimit.requestsPerSecond", { whole: false, example: "20", what: "the requests per second" }),
        burst: numberIn("rateLimit.burst", { whole: true, example: "50", what: "the burst" }),
        // Empty: no cap (null drops a stored one).
        maxConnectionsPerIp:
          text(formData, "rateLimit.maxConnectionsPerIp").trim() === ""
            ? null
            : numberIn("rateLimit.maxConnectionsPerIp", { whole: true, example: "20", what: "the connections" }),
      }
    : null;

  const hsts = {
    maxAge: numberIn("securityHeaders.hsts.maxAge", { whole: true, example: "31536000", what: "the seconds" }),
    includeSubDomains: checked(formData, "securityHeaders.hsts.includeSubDomains"),
  };
  const securityHeaders = checked(formData, "securityHeaders")
    ? {
        hsts,
        frameOptions: text(formData, "securityHeaders.frameOptions"),
        contentTypeOptions: checked(formData, "securityHeaders.contentTypeOptions"),
        referrerPolicy: text(formData, "securityHeaders.referrerPolicy"),
        permissionsPolicy: text(formData, "securityHeaders.permissionsPolicy"),
        contentSecurityPolicy: text(formData, "securityHeaders.contentSecurityPolicy"),
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
    headerFields: Array.from({ length: rowCount }, (_, row) => [headerRowField(row, "name"), headerRowField(row, "value")]).flat(),
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
 * The form field that shows the error at a custom header's path: "customHeaders.responseSet.1.name"
 * is the name of the form row that entry came from. Undefined for paths outside the custom headers.
 */
export function customHeaderField(path: string, headerRows: HeaderRowIndex): string | undefined {
  const [head, list, index, part] = path.split(".");
  if (head !== "customHeaders") return undefined;
  const row = list !== undefined && list in headerRows && index !== undefined ? headerRows[list as keyof CustomHeaders][Number(index)] : undefined;
  if (row === undefined) return "customHeaders";
  return headerRowField(row, part === "value" ? "value" : "name");
}
