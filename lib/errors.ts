import type { z } from "zod";

export type ErrorCode = "validation_failed" | "unauthorized" | "forbidden" | "not_found" | "conflict" | "rate_limited" | "internal";

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  internal: 500,
};

/** The one error type of the services: the API turns it into `{"error":{code,message,details}}`. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, string>;

  constructor(code: ErrorCode, message: string, details: Record<string, string> = {}) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return STATUS[this.code];
  }

  toJSON() {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

/** Field path -> first message, e.g. { "hostnames.1": "\"a b\" is not a valid hostname" }. */
export function zodDetails(error: z.ZodError): Record<string, string> {
  const details: Record<string, string> = {};
  for (const issue of error.issues) {
    // An unknown key is named by its own path, like any other bad field.
    const fields = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    for (const path of fields) {
      const key = path.length > 0 ? path.map(String).join(".") : "_";
      details[key] ??= issue.code === "unrecognized_keys" ? "Unknown field: check its spelling, or leave it out" : issue.message;
    }
  }
  return details;
}

export function validationError(error: z.ZodError, message = "Some fields need attention"): AppError {
  return new AppError("validation_failed", message, zodDetails(error));
}

export const notFound = (what: string): AppError => new AppError("not_found", `${what} was not found`);
