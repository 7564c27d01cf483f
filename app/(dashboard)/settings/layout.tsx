import type { ReactNode } from "react";
import { ChangeScope } from "@/app/_components/role-scope";

/** Changing settings and backups needs an admin. */
export default function SettingsLayout({ children }: { children: ReactNode }) {
  return <ChangeScope minimum="admin">{children}</ChangeScope>;
}
