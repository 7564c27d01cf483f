"use server";

import { revalidatePath } from "next/cache";
import { undoAuditChange } from "@/lib/services/audit";
import { type FormState, stateFromError, success } from "@/app/_lib/form-state";
import { requireRole } from "@/app/_lib/session";

export async function undoAction(changeId: string, _previous: FormState, _formData: FormData): Promise<FormState> {
  await requireRole("admin");
  try {
    await undoAuditChange(changeId);
  } catch (error) {
    return stateFromError(error, []);
  }
  revalidatePath("/history");
  return success("Undone: it is back as it was before this change. The undo is in the history too.");
}
