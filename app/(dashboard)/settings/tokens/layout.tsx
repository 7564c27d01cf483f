import type { ReactNode } from "react";
import { ChangeScope } from "@/app/_components/role-scope";

/** Everyone manages their own API tokens (each at most their own role). */
export default function TokensLayout({ children }: { children: ReactNode }) {
  return <ChangeScope minimum="viewer">{children}</ChangeScope>;
}
