import { cookies } from "next/headers";
import Link from "next/link";
import type { ReactNode } from "react";
import { listCertificates } from "@/lib/services/certificates";
import { CertificateFailureBanner } from "../_components/certificate-failure-banner";
import { Logo } from "../_components/logo";
import { RoleProvider } from "../_components/role-scope";
import { NavLinks } from "../_components/nav-links";
import { ThemeSwitch } from "../_components/theme-switch";
import { Alert } from "../_components/ui/alert";
import { Button } from "../_components/ui/button";
import { certificateFailures, DISMISSED_FAILURES_COOKIE, parseDismissed } from "../_lib/certificate-view";
import { requireUser } from "../_lib/session";
import { logoutAction } from "./actions";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const failures = certificateFailures(await listCertificates());
  const dismissed = parseDismissed((await cookies()).get(DISMISSED_FAILURES_COOKIE)?.value);
  return (
    <div className="min-h-screen">
      <header className="sticky top-0 z-10 border-b border-slate-200 bg-surface/90 backdrop-blur">
        <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 px-4 sm:px-6">
          <Link href="/" className="flex h-14 shrink-0 items-center" aria-label="Gatekeeper overview">
            <Logo />
          </Link>
          {/* On phones the links get a row of their own, under the logo and Sign out. */}
          <div className="order-last -mx-1 w-full pb-2 md:order-none md:mx-0 md:w-auto md:flex-1 md:pb-0">
            <NavLinks role={user.role} />
          </div>
          <div className="ml-auto flex h-14 items-center gap-2 sm:gap-3 md:ml-0">
            <Link
              href="/account"
              className="max-w-56 truncate rounded-md px-1 text-sm text-slate-500 underline-offset-2 hover:text-slate-900 hover:underline"
              title={`Your account: ${user.email}`}
            >
              <span className="hidden lg:inline">{user.email}</span>
              <span className="lg:hidden">Account</span>
            </Link>
            <ThemeSwitch />
            <form action={logoutAction}>
              <Button type="submit" variant="ghost" size="sm">
                Sign out
              </Button>
            </form>
          </div>
        </nav>
      </header>
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
        {user.role === "viewer" ? (
          <Alert tone="info" className="mb-4" testId="read-only-notice">
            You can look but not change: you are a viewer.
          </Alert>
        ) : null}
        <CertificateFailureBanner initial={failures} initialDismissed={[...dismissed]} />
        <RoleProvider role={user.role}>{children}</RoleProvider>
      </main>
    </div>
  );
}
