import type { ReactNode } from "react";
import { ChangeScope } from "@/app/_components/role-scope";

/** Changing streams needs an operator. */
export default function StreamsLayout({ children }: { children: ReactNode }) {
  return <ChangeScope minimum="operator">{children}</ChangeScope>;
}
