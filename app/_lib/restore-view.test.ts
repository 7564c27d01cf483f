import { describe, expect, it } from "vitest";
import { changesNothing, type RestoreChanges, restoreView } from "./restore-view";

const none = { added: [], changed: [], removed: [] };
const empty: RestoreChanges = {
  sites: none,
  streams: none,
  certificates: none,
  accessLists: none,
  dnsProviders: none,
  users: none,
  apiTokens: none,
  settings: none,
};

describe("restoreView", () => {
  it("lists every kind of object, each with only the changes that happen, names sorted", () => {
    const view = restoreView({
      ...empty,
      sites: {
        added: [
          { id: "2", name: "Shop 10" },
          { id: "1", name: "Shop 9" },
        ],
        changed: [],
        removed: [{ id: "3", name: "Blog" }],
      },
    });
    expect(view.map((entry) => entry.label)).toEqual([
      "Sites",
      "Streams",
      "Certificates",
      "Access lists",
      "DNS providers",
      "Users",
      "API tokens",
      "Settings",
    ]);
    expect(view[0]?.groups).toEqual([
      { kind: "added", label: "Added", names: ["Shop 9", "Shop 10"] },
      { kind: "removed", label: "Removed", names: ["Blog"] },
    ]);
    expect(view.slice(1).every((entry) => entry.groups.length === 0)).toBe(true);
  });

  it("treats a kind missing from the answer as unchanged", () => {
    const { settings: _settings, ...withoutSettings } = empty;
    expect(restoreView(withoutSettings as RestoreChanges).at(-1)).toEqual({ subject: "settings", label: "Settings", groups: [] });
  });
});

describe("changesNothing", () => {
  it("is true only when no kind of object changes", () => {
    expect(changesNothing(empty)).toBe(true);
    expect(changesNothing({ ...empty, settings: { ...none, changed: [{ id: "k", name: "backup.schedule" }] } })).toBe(false);
  });
});
