import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { pendingSignIn } from "@/lib/auth/pending-sign-in";
import { Card } from "@/app/_components/ui/card";
import { currentUser, pendingSignInToken } from "@/app/_lib/session";
import { CodeForm } from "./code-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in: code" };

/** The second step of a sign-in with two-factor sign-in on; without a pending sign-in it starts over. */
export default async function LoginCodePage() {
  if (await currentUser()) redirect("/");
  const pending = await pendingSignIn(await pendingSignInToken());
  if (!pending) redirect("/login");
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="text-xl font-semibold text-slate-900">Two-factor sign-in</h1>
      <p className="mt-1 text-sm text-slate-500">
        Signing in as <span className="font-medium text-slate-700">{pending.email}</span>. Enter the 6-digit code from your authenticator app, or a
        recovery code.
      </p>
      <CodeForm />
      <p className="mt-4 text-sm text-slate-500">
        <Link href="/login" className="underline underline-offset-2 hover:text-slate-700">
          Start over with another account
        </Link>
      </p>
    </Card>
  );
}
