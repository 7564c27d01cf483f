import type { ReactNode } from "react";
import { ChangeScope } from "@/app/_components/role-scope";

/** Filtering the access log is reading: anyone may. */
export default function AccessLogLayout({ children }: { children: ReactNode }) {
  return <ChangeScope minimum="viewer">{children}</ChangeScope>;
}
