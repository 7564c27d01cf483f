import Link from "next/link";
import { SubmitButton } from "./submit-button";
import { FormResult } from "./form-result";
import { buttonClasses } from "./ui/button";

/** The bottom bar of an edit form: what the last save said, Cancel, and the submit button. */
export function FormFooter({
  state,
  cancelHref,
  pending,
  submitLabel,
}: {
  state: { status?: string; message?: string };
  cancelHref: string;
  pending: boolean;
  submitLabel: string;
}) {
  return (
    <div className="flex flex-wrap items-center justify-end gap-3 bg-slate-50/70 px-5 py-4 sm:px-6">
      <div className="mr-auto min-w-0 flex-1">
        <FormResult state={state} testIds={{ error: "form-error", success: "form-success" }} />
      </div>
      <Link href={cancelHref} className={buttonClasses("secondary")}>
        Cancel
      </Link>
      <SubmitButton pending={pending}>{submitLabel}</SubmitButton>
    </div>
  );
}
