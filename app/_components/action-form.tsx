"use client";

import { startTransition, type FormHTMLAttributes, type Ref } from "react";

type Props = Omit<FormHTMLAttributes<HTMLFormElement>, "action" | "onSubmit"> & {
  action: (formData: FormData) => void;
  ref?: Ref<HTMLFormElement>;
};

/**
 * A form whose action is dispatched by hand, so React does not reset the fields after it runs:
 * on an error the user keeps everything they typed, and nothing (a password, a private key) has
 * to travel back from the server to refill them. Before hydration it still posts as a normal form.
 */
export function ActionForm({ action, children, ref, ...props }: Props) {
  return (
    <form
      ref={ref}
      {...props}
      action={action}
      onSubmit={(event) => {
        event.preventDefault();
        const submitter = (event.nativeEvent as SubmitEvent).submitter;
        const formData = new FormData(event.currentTarget, submitter);
        startTransition(() => action(formData));
      }}
    >
      {children}
    </form>
  );
}
