import { z } from "zod";
import { emailSchema } from "./auth";

const webhookUrlSchema = z
  .string()
  .trim()
  .refine((value) => {
    try {
      return ["http:", "https:"].includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, "Enter a URL that starts with http:// or https://");

const fields = {
  acmeEmail: z.union([z.literal(""), emailSchema]),
  acmeStaging: z.boolean(),
  webhookUrl: z.union([z.literal(""), webhookUrlSchema]),
};

/** The settings people change in the dashboard (the environment holds the rest). */
export const appSettingsSchema = z.object({
  acmeEmail: fields.acmeEmail.default(""),
  acmeStaging: fields.acmeStaging.default(false),
  webhookUrl: fields.webhookUrl.default(""),
});

/** A change: only the fields sent (no defaults, so nothing unsent is reset). */
export const appSettingsPatchSchema = z.object(fields).partial().strict();

export type AppSettings = z.output<typeof appSettingsSchema>;
export type AppSettingsPatch = z.input<typeof appSettingsPatchSchema>;
