import type { Metadata } from "next";
import Link from "next/link";
import { listApiTokens } from "@/lib/auth/api-tokens";
import { getBackupSchedule } from "@/lib/services/backup-schedule";
import { getAppSettings, getMetricsSettings } from "@/lib/services/settings";
import { settingsWarnings } from "@/lib/schemas/settings";
import { PageHeader } from "@/app/_components/page-header";
import { buttonClasses } from "@/app/_components/ui/button";
import { Card, CardHeader } from "@/app/_components/ui/card";
import { requireUser } from "@/app/_lib/session";
import { SettingsForm } from "./settings-form";
import { MetricsSection } from "./metrics-section";
import { TrustedProxiesSection } from "./trusted-proxies-section";
import { UnknownHostSection } from "./unknown-host-section";
import { OidcSection } from "./oidc-section";
import { headers } from "next/headers";
import { oidcRedirectUri } from "@/lib/auth/oidc";
import { dashboardOrigin } from "@/app/_lib/dashboard-origin";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser();
  const [settings, tokens, metrics, backupSchedule] = await Promise.all([
    getAppSettings(),
    listApiTokens(user.id),
    getMetricsSettings(),
    getBackupSchedule(),
  ]);
  return (
    <>
      <PageHeader title="Settings" description="How certificates are ordered, who hears about problems, and which tools may use the API." />
      <SettingsForm initial={settings} />
      <TrustedProxiesSection current={settings.trustedProxies} warnings={Object.values(settingsWarnings(settings))} />
      <UnknownHostSection current={settings.unknownHost} />
      {user.role === "admin" ? <OidcSection current={settings.oidc} redirectUri={oidcRedirectUri(dashboardOrigin(await headers()))} /> : null}
      <Card className="mt-8">
        <CardHeader
          className="border-b-0"
          titleId="api-tokens-title"
          title="API tokens"
          description={`Scripts and other tools use a token to drive the REST API (/api/v1). ${tokens.length === 0 ? "You have none yet." : `${tokens.length} active.`}`}
          actions={
            <Link href="/settings/tokens" className={buttonClasses("secondary", "sm")}>
              Manage API tokens
            </Link>
          }
        />
      </Card>
      <MetricsSection current={metrics} />
      <Card className="mt-8">
        <CardHeader
          className="border-b-0"
          titleId="backups-title"
          title="Backup and restore"
          description={`One encrypted file with everything configured, to download now or restore. Scheduled backups: ${
            backupSchedule.enabled ? `every ${backupSchedule.everyHours} ${backupSchedule.everyHours === 1 ? "hour" : "hours"}` : "off"
          }.`}
          actions={
            <Link href="/settings/backups" className={buttonClasses("secondary", "sm")}>
              Back up and restore
            </Link>
          }
        />
      </Card>
    </>
  );
}
