import Link from "next/link";
import { IN_USE, type InUseKind } from "@/lib/services/in-use";

/**
 * In place of a delete button while sites use a certificate or access list: which sites, as
 * links, and what to do first (the same words the server answers with if a delete races a save).
 */
export function InUseBy({ kind, sites }: { kind: InUseKind; sites: { id: string; name: string }[] }) {
  return (
    <p data-testid="in-use-by" className="max-w-sm text-sm text-slate-600">
      In use by{" "}
      {sites.map((site, index) => (
        <span key={site.id}>
          {index > 0 ? ", " : null}
          <Link href={`/sites/${site.id}`} className="font-medium break-words text-indigo-700 hover:underline">
            {site.name}
          </Link>
        </span>
      ))}
      : {IN_USE[kind].remedy}, then it can be deleted.
    </p>
  );
}
