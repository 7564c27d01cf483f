"use server";

import { purgeSiteCache } from "@/lib/services/cache-purge";
import { stateFromError, success, text, type FormState } from "@/app/_lib/form-state";
import { requireRole } from "@/app/_lib/session";
import { PURGE_FIELDS, purgeInputOf, removedText } from "./cache-purge-form";

/** Removes the chosen stored answers from the site's cache and says how many went. */
export async function purgeCache(siteId: string, _previous: FormState, formData: FormData): Promise<FormState> {
  await requireRole("operator");
  try {
    const { purged } = await purgeSiteCache(siteId, purgeInputOf(text(formData, "scope"), text(formData, "prefix"), text(formData, "url")));
    return success(removedText(purged));
  } catch (error) {
    return { ...stateFromError(error, PURGE_FIELDS, {}, "The cache could not be purged. Try again in a moment."), nonce: Date.now() };
  }
}
