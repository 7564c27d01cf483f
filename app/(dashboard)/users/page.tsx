import type { Metadata } from "next";
import { listUsers } from "@/lib/services/users";
import { atLeast, ROLE_WORDS } from "@/lib/auth/roles";
import { ConfirmAction } from "@/app/_components/confirm-action";
import { PageHeader } from "@/app/_components/page-header";
import { Alert } from "@/app/_components/ui/alert";
import { Badge } from "@/app/_components/ui/badge";
import { Card, CardContent, CardHeader } from "@/app/_components/ui/card";
import { requireUser } from "@/app/_lib/session";
import { timeAgo } from "@/app/_lib/time";
import { changeRoleAction, removeUserAction, turnOffTwoFactorAction } from "./actions";
import { InviteForm } from "./invite-form";
import { RoleForm } from "./role-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  const me = await requireUser();
  if (!atLeast(me.role, "admin")) {
    return (
      <>
        <PageHeader title="Users" />
        <Alert tone="info">Only admins see and manage users; you are {ROLE_WORDS[me.role]}.</Alert>
      </>
    );
  }
  const users = await listUsers();
  return (
    <>
      <PageHeader
        title="Users"
        description="Who can sign in, and what each may do: viewers look, operators also change sites, certificates, access lists and DNS providers, admins also change settings, backups and users."
      />
      <Card className="mb-6">
        <CardHeader title="Invite someone" description="They get a link to choose their password; you hand it over." />
        <CardContent>
          <InviteForm />
        </CardContent>
      </Card>
      <Card>
        <CardHeader titleId="users-title" title="Everyone" description={`${users.length} ${users.length === 1 ? "user" : "users"}`} />
        <ul aria-labelledby="users-title" className="divide-y divide-slate-100">
          {users.map((user) => (
            <li key={user.id} data-testid="user-row" className="flex flex-wrap items-start justify-between gap-3 px-5 py-4">
              <div className="min-w-0">
                <p className="font-medium break-all text-slate-900">
                  {user.email}
                  {user.id === me.id ? <span className="font-normal text-slate-500"> (you)</span> : null}
                </p>
                <p className="mt-1 flex flex-wrap items-center gap-2 text-xs text-slate-500">
                  {user.invited ? <Badge tone="amber">Invited, link not used yet</Badge> : null}
                  <Badge tone={user.totpEnabled ? "green" : "slate"}>Two-factor {user.totpEnabled ? "on" : "off"}</Badge>
                  <span>Last sign-in: {timeAgo(user.lastSignInAt)}</span>
                </p>
              </div>
              <div className="flex flex-wrap items-start gap-3">
                <RoleForm action={changeRoleAction.bind(null, user.id)} email={user.email} role={user.role} />
                {user.totpEnabled && user.id !== me.id ? (
                  <ConfirmAction
                    action={turnOffTwoFactorAction.bind(null, user.id)}
                    label="Turn off two-factor"
                    ariaLabel={`Turn off two-factor sign-in for ${user.email}`}
                    confirmLabel="Confirm turn off"
                    question={`Turn off two-factor sign-in for ${user.email}? They then sign in with their password alone until they turn it on again.`}
                    size="sm"
                  />
                ) : null}
                <ConfirmAction
                  action={removeUserAction.bind(null, user.id)}
                  label="Remove"
                  ariaLabel={`Remove ${user.email}`}
                  confirmLabel="Confirm remove"
                  question={`Remove ${user.email}? Their sign-ins and API tokens stop working.`}
                  size="sm"
                />
              </div>
            </li>
          ))}
        </ul>
      </Card>
    </>
  );
}
