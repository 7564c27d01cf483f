import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { hasUsers } from "@/lib/auth/users";
import { Card } from "@/app/_components/ui/card";
import { currentUser } from "@/app/_lib/session";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage() {
  if (!(await hasUsers())) redirect("/setup");
  if (await currentUser()) redirect("/");
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="text-xl font-semibold text-slate-900">Sign in</h1>
      <p className="mt-1 text-sm text-slate-500">Manage your sites, certificates and proxy.</p>
      <LoginForm />
    </Card>
  );
}
