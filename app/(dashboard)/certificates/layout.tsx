import type { ReactNode } from "react";
import { ChangeScope } from "@/app/_components/role-scope";

/** Changing certificates needs an operator. */
export default function CertificatesLayout({ children }: { children: ReactNode }) {
  return <ChangeScope minimum="operator">{children}</ChangeScope>;
}
