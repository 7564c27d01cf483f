import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { hasUsers } from "@/lib/auth/users";
import { Card } from "@/app/_components/ui/card";
import { SetupForm } from "./setup-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "First-time setup" };

export default async function SetupPage() {
  if (await hasUsers()) redirect("/login");
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="text-xl font-semibold text-slate-900">Create the admin account</h1>
      <p className="mt-1 text-sm text-slate-500">
        Welcome! This is the first start. Prove you run this server with the setup code, then choose how you will sign in.
      </p>
      <SetupForm />
    </Card>
  );
}
