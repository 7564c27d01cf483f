import { afterEach, beforeEach, expect, it } from "vitest";
import { useTempDatabase } from "../../test-support/database";
import { AppError } from "../errors";
import { getAppSettings, updateAppSettings } from "./settings";

let cleanup: () => Promise<void>;
beforeEach(async () => ({ cleanup } = await useTempDatabase()));
afterEach(() => cleanup());

it("starts empty and saves only what is sent", async () => {
  expect(await getAppSettings()).toEqual({ acmeEmail: "", acmeStaging: false, webhookUrl: "" });
  await updateAppSettings({ acmeEmail: "Ops@Example.com" });
  expect(await updateAppSettings({ acmeStaging: true })).toEqual({ acmeEmail: "ops@example.com", acmeStaging: true, webhookUrl: "" });
});

it("rejects bad values field by field and keeps what was saved", async () => {
  await updateAppSettings({ webhookUrl: "https://hooks.example.com/x" });
  const error = await updateAppSettings({ acmeEmail: "nope", webhookUrl: "ftp://x" }).catch((e: unknown) => e as AppError);
  expect(error).toBeInstanceOf(AppError);
  expect(Object.keys((error as AppError).details).sort()).toEqual(["acmeEmail", "webhookUrl"]);
  expect((await getAppSettings()).webhookUrl).toBe("https://hooks.example.com/x");
  await updateAppSettings({ webhookUrl: "" });
  expect((await getAppSettings()).webhookUrl).toBe("");
});
