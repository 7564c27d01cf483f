import type { ReactNode } from "react";
import { ChangeScope } from "@/app/_components/role-scope";

/** Changing sites needs an operator. */
export default function SitesLayout({ children }: { children: ReactNode }) {
  return <ChangeScope minimum="operator">{children}</ChangeScope>;
}
