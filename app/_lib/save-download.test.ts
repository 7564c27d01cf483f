import { describe, expect, it } from "vitest";
import { fileNameFromDisposition } from "./save-download";

describe("fileNameFromDisposition", () => {
  it("reads a quoted or bare file name", () => {
    expect(fileNameFromDisposition('attachment; filename="gatekeeper-2026-12-07T14-03-00Z.gkbackup"', "x")).toBe(
      "gatekeeper-2026-12-07T14-03-00Z.gkbackup",
    );
    expect(fileNameFromDisposition("attachment; filename=backup.gkbackup; size=3", "x")).toBe("backup.gkbackup");
  });

  it("falls back without a header, without a name, or with a path", () => {
    expect(fileNameFromDisposition(null, "gatekeeper.gkbackup")).toBe("gatekeeper.gkbackup");
    expect(fileNameFromDisposition("attachment", "gatekeeper.gkbackup")).toBe("gatekeeper.gkbackup");
    expect(fileNameFromDisposition('attachment; filename="../etc/passwd"', "gatekeeper.gkbackup")).toBe("gatekeeper.gkbackup");
  });
});
