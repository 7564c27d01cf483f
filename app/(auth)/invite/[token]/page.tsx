import type { Metadata } from "next";
import Link from "next/link";
import { ROLE_WORDS } from "@/lib/auth/roles";
import { invitation } from "@/lib/services/users";
import { Card } from "@/app/_components/ui/card";
import { InviteForm } from "./invite-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Accept the invitation" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invited = await invitation(token);
  if (!invited) {
    return (
      <Card className="p-6 sm:p-8">
        <h1 className="text-xl font-semibold text-slate-900">This invite link does not work</h1>
        <p className="mt-1 text-sm text-slate-500">
          It was used already, or it expired (links work for 7 days). Ask an admin for a new one, or{" "}
          <Link href="/login" className="text-indigo-700 underline">
            sign in
          </Link>
          .
        </p>
      </Card>
    );
  }
  return (
    <Card className="p-6 sm:p-8">
      <h1 className="text-xl font-semibold text-slate-900">Welcome to Gatekeeper</h1>
      <p className="mt-1 text-sm text-slate-500">
        You are invited as {ROLE_WORDS[invited.role]}, to sign in as <span className="font-medium text-slate-700">{invited.email}</span>. Choose your
        password.
      </p>
      <InviteForm token={token} />
    </Card>
  );
}
