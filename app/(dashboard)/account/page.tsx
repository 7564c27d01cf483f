import type { Metadata } from "next";
import { twoFactorStatus } from "@/lib/auth/two-factor";
import { ROLE_WORDS } from "@/lib/auth/roles";
import { PageHeader } from "@/app/_components/page-header";
import { Button } from "@/app/_components/ui/button";
import { Card, CardContent, CardHeader } from "@/app/_components/ui/card";
import { requireUser } from "@/app/_lib/session";
import { signOutEverywhereAction } from "./actions";
import { TwoFactorSection } from "./two-factor-section";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const user = await requireUser();
  const status = await twoFactorStatus(user.id);
  return (
    <>
      <PageHeader title="Your account" description="How you sign in to Gatekeeper." />
      <Card>
        <CardHeader title="Signed in as" />
        <CardContent className="py-5">
          <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[8rem_1fr]">
            <dt className="text-slate-500">Email</dt>
            <dd className="min-w-0 break-words font-medium text-slate-900" data-testid="account-email">
              {user.email}
            </dd>
            <dt className="text-slate-500">Role</dt>
            <dd className="text-slate-900" data-testid="account-role">
              You are {ROLE_WORDS[user.role]}.
            </dd>
          </dl>
        </CardContent>
      </Card>
      <TwoFactorSection enabled={status.enabled} recoveryCodesLeft={status.recoveryCodesLeft} />
      <Card className="mt-8">
        <CardHeader
          title="Sessions"
          description="Signed in on a computer you no longer use, or lost one? End every session of your account, this browser's too."
        />
        <CardContent className="py-5">
          <form action={signOutEverywhereAction}>
            <Button type="submit" variant="danger-outline">
              Sign out everywhere
            </Button>
          </form>
        </CardContent>
      </Card>
    </>
  );
}
