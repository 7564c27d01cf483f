import Link from "next/link";
import { Logo } from "./_components/logo";
import { buttonClasses } from "./_components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center px-4 text-center">
      <Logo className="mb-8 text-lg" />
      <p className="text-sm font-semibold text-indigo-700">404</p>
      <h1 className="mt-1 text-2xl font-semibold text-slate-900">This page does not exist</h1>
      <p className="mt-2 text-sm text-slate-500">It may have been deleted, or the address is mistyped.</p>
      <Link href="/" className={buttonClasses("primary", "md", "mt-6")}>
        Back to the overview
      </Link>
    </main>
  );
}
