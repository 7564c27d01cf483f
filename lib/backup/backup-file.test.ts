import { describe, expect, it } from "vitest";
import { type BackupContents, openBackup, sealBackup } from "./backup-file";

const contents: BackupContents = {
  format: 1,
  createdAt: "2026-12-07T00:00:00.000Z",
  migrations: ["m1"],
  secretKey: "a2V5",
  tables: { Site: [{ id: "s1" }] },
};
const PASSPHRASE = "a passphrase of some length";

const rewrite = (file: Buffer, change: (envelope: Record<string, unknown>) => void) => {
  const envelope = JSON.parse(file.toString()) as Record<string, unknown>;
  change(envelope);
  return Buffer.from(JSON.stringify(envelope));
};

describe("the backup file", () => {
  it("opens with its passphrase only, and differs every time it is made", () => {
    const file = sealBackup(contents, PASSPHRASE);
    expect(openBackup(file, PASSPHRASE)).toEqual(contents);
    expect(sealBackup(contents, PASSPHRASE).equals(file)).toBe(false);
    expect(() => openBackup(file, `${PASSPHRASE}!`)).toThrow("The passphrase does not open this backup");
  });

  it("refuses a newer format, key settings out of range, and a shortened tag", () => {
    const file = sealBackup(contents, PASSPHRASE);
    expect(() =>
      openBackup(
        rewrite(file, (envelope) => (envelope.format = 2)),
        PASSPHRASE,
      ),
    ).toThrow("made by a newer version of Gatekeeper");
    const costly = rewrite(file, (envelope) => ((envelope.kdf as { N: number }).N = 2 ** 30));
    expect(() => openBackup(costly, PASSPHRASE)).toThrow("its key settings are out of range");
    const short = rewrite(file, (envelope) => (envelope.tag = Buffer.from(String(envelope.tag), "base64").subarray(0, 4).toString("base64")));
    expect(() => openBackup(short, PASSPHRASE)).toThrow("The passphrase does not open this backup");
    expect(() => openBackup(Buffer.from("[]"), PASSPHRASE)).toThrow("This file is not a Gatekeeper backup");
  });
});
