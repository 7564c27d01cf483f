import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { hasUsers } from "@/lib/auth/users";
import { oidcButtonName } from "@/lib/auth/oidc";
import { oidcFailureWords } from "@/lib/auth/oidc-failure";
import { Card } from "@/app/_components/ui/card";
import { currentUser } from "@/app/_lib/session";
import { LoginForm } from "./login-form";
import { SsoSignIn } from "./sso-sign-in";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ sso_error?: string | string[] }> }) {
  const { sso_error: ssoError } = await searchParams;
  if (!(await hasUsers())) redirect("/setup");
  if (await currentUser()) redirect("/");
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="text-xl font-semibold text-slate-900">Sign in</h1>
      <p className="mt-1 text-sm text-slate-500">Manage your sites, certificates and proxy.</p>
      <LoginForm />
      <SsoSignIn name={await oidcButtonName()} error={oidcFailureWords(typeof ssoError === "string" ? ssoError : undefined)} />
    </Card>
  );
}
