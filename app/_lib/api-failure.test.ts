import { describe, expect, it } from "vitest";
import { stateFromApiFailure, UNREACHABLE } from "./api-failure";

const FIELDS = ["file", "passphrase"] as const;

describe("stateFromApiFailure", () => {
  it("shows a wrong passphrase once, at the passphrase field", () => {
    const message = "The passphrase does not open this backup (or the file was changed after it was made)";
    const state = stateFromApiFailure({ error: { code: "validation_failed", message, details: { passphrase: message } } }, FIELDS);
    expect(state).toEqual({ status: "error", message: undefined, fieldErrors: { passphrase: [message] } });
  });

  it("puts 'not a backup' at the file field", () => {
    const message = "This file is not a Gatekeeper backup";
    const state = stateFromApiFailure({ error: { code: "validation_failed", message, details: { file: message } } }, FIELDS);
    expect(state.fieldErrors).toEqual({ file: [message] });
  });

  it("points at the fields when the message is the general one", () => {
    const state = stateFromApiFailure(
      { error: { code: "validation_failed", message: "Some fields need attention", details: { passphrase: "Too short" } } },
      FIELDS,
    );
    expect(state.message).toBe("Some fields need attention: see the fields marked in red.");
    expect(state.fieldErrors).toEqual({ passphrase: ["Too short"] });
  });

  it("says a detail for no field of the form with the message", () => {
    const state = stateFromApiFailure(
      { error: { code: "validation_failed", message: "Some fields need attention", details: { dryRun: "Send true or false" } } },
      FIELDS,
    );
    expect(state).toEqual({ status: "error", message: "Some fields need attention Send true or false", fieldErrors: {} });
  });

  it("keeps a message without details as it is", () => {
    const state = stateFromApiFailure({ error: { code: "unauthorized", message: "Sign in" } }, FIELDS);
    expect(state).toEqual({ status: "error", message: "Sign in", fieldErrors: {} });
  });

  it("says the dashboard did not answer when the body is not the API's error", () => {
    expect(stateFromApiFailure(null, FIELDS)).toEqual({ status: "error", message: UNREACHABLE });
    expect(stateFromApiFailure("<html>", FIELDS)).toEqual({ status: "error", message: UNREACHABLE });
  });
});
