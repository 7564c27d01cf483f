import type { ReactNode } from "react";

/** One titled block of the site form: what it is about on the left, its fields on the right. */
export function Section({ id, title, description, children }: { id?: string; title: string; description: ReactNode; children: ReactNode }) {
  return (
    <section id={id} className="grid scroll-mt-20 gap-4 px-5 py-6 sm:px-6 md:grid-cols-3 md:gap-8">
      <div>
        <h2 className="text-sm font-semibold text-slate-900">{title}</h2>
        <p className="mt-1 text-sm text-slate-500">{description}</p>
      </div>
      <div className="space-y-5 md:col-span-2">{children}</div>
    </section>
  );
}
