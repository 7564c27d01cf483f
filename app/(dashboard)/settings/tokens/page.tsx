import type { Metadata } from "next";
import Link from "next/link";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { ConfirmAction } from "@/app/_components/confirm-action";
import { PageHeader } from "@/app/_components/page-header";
import { Card, CardContent, CardHeader } from "@/app/_components/ui/card";
import { requireUser } from "@/app/_lib/session";
import { formatDate, timeAgo } from "@/app/_lib/time";
import { revokeToken } from "./actions";
import { CreateTokenForm } from "./create-token-form";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "API tokens" };

export default async function TokensPage() {
  const user = await requireUser();
  const tokens = await listApiTokens(user.id);
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/settings" className="hover:text-slate-700">
            ← Settings
          </Link>
        }
        title="API tokens"
        description="Scripts and other tools use a token to drive the REST API (/api/v1) on your behalf. Give each tool its own, so you can revoke one without breaking the others."
      />
      <Card className="mb-6">
        <CardHeader title="Create a token" />
        <CardContent>
          <CreateTokenForm />
        </CardContent>
      </Card>
      <Card>
        <CardHeader titleId="tokens-title" title="Your tokens" description={tokens.length === 0 ? "None yet." : `${tokens.length} active`} />
        {tokens.length > 0 ? (
          <ul aria-labelledby="tokens-title" className="divide-y divide-slate-100">
            {tokens.map((token) => (
              <li key={token.id} data-testid="token-row" className="flex flex-wrap items-center justify-between gap-3 px-5 py-3">
                <div className="min-w-0">
                  <p className="font-medium text-slate-900">{token.name}</p>
                  <p className="text-xs text-slate-500">
                    Created {formatDate(token.createdAt)} · {token.lastUsedAt ? `last used ${timeAgo(token.lastUsedAt)}` : "never used"}
                  </p>
                </div>
                <ConfirmAction
                  action={revokeToken.bind(null, token.id)}
                  label="Revoke"
                  ariaLabel={`Revoke ${token.name}`}
                  confirmLabel="Confirm revoke"
                  question={`Revoke “${token.name}”? Tools using it stop working.`}
                  size="sm"
                />
              </li>
            ))}
          </ul>
        ) : null}
      </Card>
    </>
  );
}
