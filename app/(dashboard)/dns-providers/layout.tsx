import type { ReactNode } from "react";
import { ChangeScope } from "@/app/_components/role-scope";

/** Changing DNS providers needs an operator. */
export default function DnsProvidersLayout({ children }: { children: ReactNode }) {
  return <ChangeScope minimum="operator">{children}</ChangeScope>;
}
