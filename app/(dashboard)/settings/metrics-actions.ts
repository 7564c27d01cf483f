"use server";

import { revalidatePath } from "next/cache";
import { createMetricsToken, disableMetrics } from "@/lib/services/settings";
import { stateFromError, success, type FormState } from "@/app/_lib/form-state";
import { requireRole } from "@/app/_lib/session";
import type { MetricsTokenState } from "./metrics-form-state";

/** Turns /metrics on, or replaces its token; the token goes to this user only, this once. */
export async function createMetricsTokenAction(_previous: MetricsTokenState, _formData: FormData): Promise<MetricsTokenState> {
  await requireRole("admin");
  try {
    const created = await createMetricsToken();
    revalidatePath("/settings");
    return { ...success("Metrics token created."), token: created.token, tokenCreatedAt: created.tokenCreatedAt ?? undefined };
  } catch (error) {
    return stateFromError(error, []);
  }
}

export async function disableMetricsAction(_previous: FormState, _formData: FormData): Promise<FormState> {
  await requireRole("admin");
  try {
    await disableMetrics();
  } catch (error) {
    return stateFromError(error, []);
  }
  revalidatePath("/settings");
  return success("Prometheus metrics turned off.");
}
