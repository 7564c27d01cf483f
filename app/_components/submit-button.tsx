"use client";

import { useFormStatus } from "react-dom";
import { useMayChange } from "./role-scope";
import { Button, type ButtonProps } from "./ui/button";

export function Spinner() {
  return <span aria-hidden="true" className="inline-block size-3.5 animate-spin rounded-full border-2 border-current border-r-transparent" />;
}

/** A submit button that shows progress; its accessible name never changes. */
export function SubmitButton({ children, pending: pendingProp, ...props }: ButtonProps & { pending?: boolean }) {
  const status = useFormStatus();
  const pending = pendingProp ?? status.pending;
  const mayChange = useMayChange();
  if (!mayChange) return null;
  return (
    <Button {...props} type="submit" aria-busy={pending || undefined} disabled={pending || props.disabled}>
      {pending ? <Spinner /> : null}
      {children}
    </Button>
  );
}
