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

/** The settings people change in the dashboard (the environment holds the rest). */
export const appSettingsSchema = z.object({
  acmeEmail: z.union([z.literal(""), emailSchema]).default(""),
  acmeStaging: z.boolean().default(false),
  webhookUrl: z.union([z.literal(""), webhookUrlSchema]).default(""),
});

export const appSettingsPatchSchema = appSettingsSchema.partial().strict();

export type AppSettings = z.output<typeof appSettingsSchema>;
export type AppSettingsPatch = z.input<typeof appSettingsPatchSchema>;
