"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { idle, type FormState } from "./form-state";

export type FormAction = (state: FormState, formData: FormData) => Promise<FormState>;

/**
 * The state of an edit form over a saved record. The fields show the saved values again after a
 * save or when the record changed elsewhere (its `version`, e.g. updatedAt), but never over unsaved
 * edits; an error keeps everything typed and moves the focus to the first field in error.
 * Render the fields with `key={fieldsKey}` and the form with `onInput={markDirty}`.
 */
export function useEditForm(action: FormAction, version: string | undefined) {
  const [state, dispatch, pending] = useActionState(action, idle);
  const formRef = useRef<HTMLFormElement>(null);
  const [dirty, setDirty] = useState(false);
  const [fieldsVersion, setFieldsVersion] = useState(version);
  const [savedNonce, setSavedNonce] = useState(state.nonce);
  if (state.nonce !== savedNonce) {
    setSavedNonce(state.nonce);
    setDirty(false);
    setFieldsVersion(version);
  } else if (version !== fieldsVersion && !dirty) {
    setFieldsVersion(version);
  }

  useEffect(() => {
    if (state.status !== "error") return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [state]);

  return { state, dispatch, pending, formRef, fieldsKey: `${state.nonce ?? 0}:${fieldsVersion}`, markDirty: () => setDirty(true) };
}
