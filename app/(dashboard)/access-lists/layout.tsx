import type { ReactNode } from "react";
import { ChangeScope } from "@/app/_components/role-scope";

/** Changing access lists needs an operator. */
export default function AccessListsLayout({ children }: { children: ReactNode }) {
  return <ChangeScope minimum="operator">{children}</ChangeScope>;
}
