"use server";

import { revalidatePath } from "next/cache";
import { createApiToken, revokeApiToken } from "@/lib/auth/api-tokens";
import { validationError } from "@/lib/errors";
import { tokenCreateSchema } from "@/lib/schemas/auth";
import { stateFromError, success, text, type FormState } from "@/app/_lib/form-state";
import { requireUser } from "@/app/_lib/session";
import type { TokenFormState } from "./form-state";

export async function createToken(previous: TokenFormState, formData: FormData): Promise<TokenFormState> {
  const user = await requireUser();
  try {
    const parsed = tokenCreateSchema.safeParse({ name: text(formData, "name") });
    if (!parsed.success) throw validationError(parsed.error);
    const created = await createApiToken(user, parsed.data.name);
    revalidatePath("/settings/tokens");
    // The only time the secret is sent anywhere: to the user who just created it.
    return { ...success(`Token “${created.name}” created.`), token: created.token, tokenName: created.name };
  } catch (error) {
    return { ...stateFromError(error, ["name"]), nonce: previous.nonce };
  }
}

export async function revokeToken(tokenId: string, _previous: FormState, _formData: FormData): Promise<FormState> {
  const user = await requireUser();
  try {
    await revokeApiToken(user.id, tokenId);
  } catch (error) {
    return stateFromError(error, []);
  }
  revalidatePath("/settings/tokens");
  return success("Token revoked.");
}
