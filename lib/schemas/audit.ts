import { z } from "zod";

const optionalDate = (field: string) =>
  z
    .string()
    .optional()
    .refine((value) => value === undefined || !Number.isNaN(Date.parse(value)), `Give ${field} as a date and time, like 2026-12-07T14:00:00Z`)
    .transform((value) => (value === undefined ? undefined : new Date(value)));

/** The history's filters, as the API's query string has them. */
export const auditQuerySchema = z
  .object({
    objectType: z.string().trim().min(1).optional(),
    objectId: z.string().trim().min(1).optional(),
    actor: z.string().trim().min(1).optional(),
    from: optionalDate("from"),
    to: optionalDate("to"),
    limit: z.coerce
      .number()
      .int("Give limit as a whole number")
      .min(1, "Give a limit of at least 1")
      .max(1000, "Give a limit of at most 1000")
      .default(200),
  })
  .strict();

export interface AuditChange {
  id: string;
  at: string;
  actor: string;
  action: string;
  objectType: string;
  objectId: string | null;
  /** What differs between the object before and after, field by field. */
  diff: { field: string; before: unknown; after: unknown }[];
  /** Whether "undo" can put the object back as it was before this change. */
  undoable: boolean;
}
