import { Alert } from "./ui/alert";

/** What the last submit of a form said: its error, or its success message, if it had one. */
export function FormResult({ state, testIds }: { state: { status?: string; message?: string }; testIds: { error: string; success: string } }) {
  if (!state.message) return null;
  if (state.status === "error") {
    return (
      <Alert tone="error" testId={testIds.error}>
        {state.message}
      </Alert>
    );
  }
  if (state.status === "success") {
    return (
      <Alert tone="success" testId={testIds.success}>
        {state.message}
      </Alert>
    );
  }
  return null;
}
