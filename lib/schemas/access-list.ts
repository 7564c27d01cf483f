import { z } from "zod";
import { ipRangeListSchema } from "./ip-range";

const username = z
  .string()
  .trim()
  .min(1, "Enter a username")
  .max(100, "Keep the username under 100 characters")
  .regex(/^[^:\s]+$/, "A username cannot contain a colon or spaces");

/** A basic-auth user as sent: the password is hashed on arrival and never stored or shown. */
const userInput = z
  .object({
    username,
    password: z.string().min(8, "Use a password of at least 8 characters").max(200, "Keep the password under 200 characters").optional(),
  })
  .strict();

const fields = z.object({
  name: z.string().trim().min(1, "Give the access list a name").max(100, "Keep the name under 100 characters"),
  allow: ipRangeListSchema.default([]),
  deny: ipRangeListSchema.default([]),
  /** On update, a user sent without a password keeps the password it has. */
  basicAuth: z.array(userInput).max(100, "At most 100 users per list").default([]),
  satisfy: z.enum(["any", "all"], { error: 'Choose "any" or "all"' }).default("all"),
});

function checkList(list: z.output<typeof fields>, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  list.basicAuth.forEach((user, index) => {
    if (seen.has(user.username)) ctx.addIssue({ code: "custom", path: ["basicAuth", index, "username"], message: `“${user.username}” is listed twice` });
    seen.add(user.username);
  });
}

/** POST /api/v1/access-lists, and the form. New users need a password (checked by the service). */
export const accessListInputSchema = fields.superRefine(checkList);
/** PATCH: any subset; a sent `basicAuth` replaces the list of users. */
export const accessListPatchSchema = fields.partial().strict().superRefine((patch, ctx) => {
  if (patch.basicAuth !== undefined) checkList({ ...fields.parse({ name: "x" }), basicAuth: patch.basicAuth }, ctx);
});

export type AccessListInput = z.input<typeof accessListInputSchema>;
export type AccessListData = z.output<typeof accessListInputSchema>;

export interface AccessList {
  id: string;
  name: string;
  allow: string[];
  deny: string[];
  basicAuth: { username: string }[];
  satisfy: "any" | "all";
  siteIds: string[];
  createdAt: string;
  updatedAt: string;
}
