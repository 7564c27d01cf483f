import type { RestoreSubject } from "@/lib/backup/backup-tables";
import type { NamedObject, SubjectChanges } from "@/lib/services/backups";

export type RestoreChanges = Record<RestoreSubject, SubjectChanges>;

/** Every kind of object a restore replaces, in the order a person thinks of them. */
const SUBJECTS: { subject: RestoreSubject; label: string }[] = [
  { subject: "sites", label: "Sites" },
  { subject: "streams", label: "Streams" },
  { subject: "certificates", label: "Certificates" },
  { subject: "accessLists", label: "Access lists" },
  { subject: "dnsProviders", label: "DNS providers" },
  { subject: "users", label: "Users" },
  { subject: "apiTokens", label: "API tokens" },
  { subject: "settings", label: "Settings" },
];

const KINDS = [
  { kind: "added", label: "Added" },
  { kind: "changed", label: "Changed" },
  { kind: "removed", label: "Removed" },
] as const;

export interface SubjectView {
  subject: RestoreSubject;
  label: string;
  /** Only the kinds of change that happen, each with the names it touches. */
  groups: { kind: (typeof KINDS)[number]["kind"]; label: string; names: string[] }[];
}

/** What a preview lists: every kind of object, each saying what would happen to it, or that nothing does. */
export function restoreView(changes: RestoreChanges): SubjectView[] {
  return SUBJECTS.map(({ subject, label }) => {
    const change = changes[subject] ?? { added: [], changed: [], removed: [] };
    const groups = KINDS.map(({ kind, label: kindLabel }) => ({ kind, label: kindLabel, names: namesOf(change[kind]) })).filter(
      (group) => group.names.length > 0,
    );
    return { subject, label, groups };
  });
}

/** Whether the backup holds exactly what is configured now. */
export const changesNothing = (changes: RestoreChanges): boolean => restoreView(changes).every((view) => view.groups.length === 0);

const namesOf = (objects: readonly NamedObject[]): string[] =>
  [...objects].map((object) => object.name).sort((a, b) => a.localeCompare(b, "en", { numeric: true }));
