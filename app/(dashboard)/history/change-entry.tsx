import Link from "next/link";
import type { AuditChange } from "@/lib/schemas/audit";
import { ConfirmAction } from "@/app/_components/confirm-action";
import { actionWords, kindNoun, objectHref, valueText } from "@/app/_lib/history-view";
import { formatDate } from "@/app/_lib/time";
import { undoAction } from "./actions";

/** Actions whose entry holds only what was done (no "before"), shown without the "(none) →". */
const ONLY_AFTER = new Set(["create", "restore", "cache-purge"]);

/** Rows of a diff shown at once; a created site lists every field, which says little more. */
const MAX_FIELDS = 12;

export function ChangeEntry({ change, name, exists, canUndo }: { change: AuditChange; name: string; exists: boolean; canUndo: boolean }) {
  const kind = kindNoun(change.objectType);
  const href = exists ? objectHref(change.objectType, change.objectId) : null;
  const shown = change.diff.slice(0, MAX_FIELDS);
  const signIn = change.action.startsWith("sign-in") || change.action === "token-used";
  return (
    <li data-testid="history-entry" className="flex flex-wrap items-start justify-between gap-3 px-5 py-4">
      <div className="min-w-0 flex-1">
        <p className="text-sm text-slate-900">
          <span className="font-medium break-all">{change.actor}</span> {actionWords(change.action)}{" "}
          <Subject change={change} name={name} href={href} />
        </p>
        <p className="mt-0.5 text-xs text-slate-500">
          <time dateTime={change.at}>{formatDate(change.at)}</time>
        </p>
        {shown.length > 0 && !signIn ? (
          <dl className="mt-2 space-y-1 text-sm" aria-label="What changed">
            {shown.map((field) => (
              <div key={field.field} data-testid="diff-line" className="flex min-w-0 flex-wrap gap-x-2">
                <dt className="font-mono text-xs leading-5 text-slate-500">{field.field}</dt>
                <dd className="min-w-0 break-all">
                  {!ONLY_AFTER.has(change.action) ? (
                    <>
                      <del className="text-red-700">{valueText(field.before)}</del> <span aria-hidden="true">→</span>
                      <span className="sr-only">to</span>{" "}
                    </>
                  ) : null}
                  {change.action !== "delete" ? <ins className="text-emerald-700 no-underline">{valueText(field.after)}</ins> : null}
                </dd>
              </div>
            ))}
          </dl>
        ) : null}
        {change.diff.length > shown.length && !signIn ? (
          <p className="mt-1 text-xs text-slate-500">and {change.diff.length - shown.length} more fields</p>
        ) : null}
        {change.action === "restore" ? (
          <p className="mt-2 text-xs text-slate-500">A restore is undone by restoring the backup saved just before it (named above).</p>
        ) : null}
      </div>
      {canUndo && change.undoable ? (
        <ConfirmAction
          action={undoAction.bind(null, change.id)}
          label="Undo"
          ariaLabel={`Undo: ${change.actor} ${actionWords(change.action)} ${kind} ${name}`}
          confirmLabel="Confirm undo"
          question={`Put ${kind} “${name}” back as it was before this change?`}
          size="sm"
          showSuccess
        />
      ) : null}
    </li>
  );
}

/** What the change was made to, as the end of the sentence; a sign-in has nothing more to say. */
function Subject({ change, name, href }: { change: AuditChange; name: string; href: string | null }) {
  if (change.action === "sign-in" || change.action === "sign-in-failed") return null;
  if (change.objectType === "backup") return <>a backup</>;
  if (change.objectType === "settings") return <>settings</>;
  const label = href ? (
    <Link href={href} className="font-medium break-all text-indigo-700 hover:underline">
      {name}
    </Link>
  ) : (
    <span className="font-medium break-all">{name}</span>
  );
  return (
    <>
      {kindNoun(change.objectType)} {label}
    </>
  );
}
