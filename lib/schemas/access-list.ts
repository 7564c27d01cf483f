import { z } from "zod";
import { ipRangeListSchema } from "./ip-range";
import { nameSchema, plainText } from "./text";

const username = plainText("username")
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

/**
 * One spelling per range, so that "2001:DB8::/32" and "2001:db8::/32" (or the same line pasted
 * twice) are stored once. Order is kept: it is the order the user reads them in.
 */
const ranges = ipRangeListSchema.transform((list) => [...new Set(list.map((entry) => entry.toLowerCase()))]);

// Without defaults, so that a PATCH that leaves a field out leaves it alone (a default would wipe it).
const shape = {
  name: nameSchema("Give the access list a name"),
  allow: ranges,
  deny: ranges,
  /** On update, a user sent without a password keeps the password it has. */
  basicAuth: z.array(userInput).max(100, "At most 100 users per list"),
  satisfy: z.enum(["any", "all"], { error: 'Choose "any" or "all"' }),
};

type UserInput = z.output<typeof userInput>;

function checkUsers(users: UserInput[] | undefined, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  users?.forEach((user, index) => {
    if (seen.has(user.username))
      ctx.addIssue({ code: "custom", path: ["basicAuth", index, "username"], message: `“${user.username}” is listed twice` });
    seen.add(user.username);
  });
}

/** Said wherever a user the list does not know yet comes without a password. */
export const NEW_USER_PASSWORD_MESSAGE = "Set a password for the new user";

/**
 * POST /api/v1/access-lists, and the form. Every user is new here, so each needs a password (on
 * update the service decides, as only it knows who is new). Strict: a misspelt key such as "users"
 * must not silently create an open list.
 */
export const accessListInputSchema = z
  .object({
    name: shape.name,
    allow: shape.allow.default([]),
    deny: shape.deny.default([]),
    basicAuth: shape.basicAuth.default([]),
    satisfy: shape.satisfy.default("all"),
  })
  .strict()
  .superRefine((list, ctx) => {
    checkUsers(list.basicAuth, ctx);
    list.basicAuth.forEach((user, index) => {
      if (user.password === undefined) ctx.addIssue({ code: "custom", path: ["basicAuth", index, "password"], message: NEW_USER_PASSWORD_MESSAGE });
    });
  });

/** PATCH: any subset; a sent `basicAuth` replaces the list of users. */
export const accessListPatchSchema = z
  .object(shape)
  .partial()
  .strict()
  .superRefine((patch, ctx) => checkUsers(patch.basicAuth, ctx));

export type AccessListInput = z.input<typeof accessListInputSchema>;
export type AccessListData = z.output<typeof accessListInputSchema>;
export type AccessListPatch = z.output<typeof accessListPatchSchema>;
export type AccessListUserInput = UserInput;

export interface AccessList {
  id: string;
  name: string;
  allow: string[];
  deny: string[];
  basicAuth: { username: string }[];
  satisfy: "any" | "all";
  siteIds: string[];
  /** The streams behind this list. */
  streamIds: string[];
  createdAt: string;
  updatedAt: string;
}
