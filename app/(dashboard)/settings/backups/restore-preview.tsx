import { cn } from "@/app/_lib/cn";
import { changesNothing, type RestoreChanges, restoreView } from "@/app/_lib/restore-view";

const KIND_TONES = { added: "text-emerald-700", changed: "text-amber-800", removed: "text-red-700" } as const;

/** What a restore would do, per kind of object and by name, so nothing is replaced unseen. */
export function RestorePreview({ changes }: { changes: RestoreChanges }) {
  return (
    <section aria-labelledby="restore-preview-title" data-testid="restore-preview" className="rounded-lg border border-slate-200 px-4 py-3">
      <h3 id="restore-preview-title" className="text-sm font-semibold text-slate-900">
        What “Restore now” would change
      </h3>
      {changesNothing(changes) ? (
        <p className="mt-1 text-sm text-slate-600">The backup holds exactly what is configured now: nothing changes.</p>
      ) : null}
      <ul className="mt-2 divide-y divide-slate-100">
        {restoreView(changes).map((view) => (
          <li key={view.subject} data-testid="restore-subject" data-subject={view.subject} className="py-2 text-sm">
            <p className="font-medium text-slate-800">{view.label}</p>
            {view.groups.length === 0 ? (
              <p className="text-slate-500">Nothing changes.</p>
            ) : (
              view.groups.map((group) => (
                <p key={group.kind} data-kind={group.kind} className="min-w-0 break-words text-slate-700">
                  <span className={cn("font-medium", KIND_TONES[group.kind])}>{group.label}:</span> {group.names.join(", ")}
                </p>
              ))
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
