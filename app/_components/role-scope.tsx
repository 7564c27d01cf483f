"use client";

import { createContext, type ReactNode, useContext } from "react";
import { atLeast, type Role } from "@/lib/auth/roles";

/**
 * What the signed-in user may change where a control is drawn: the dashboard's layout gives the
 * role, a section (sites, settings…) the least role its changes need. Controls a role may not use
 * are not drawn at all; the server actions refuse them all the same. Outside any section
 * (the account page, sign-in) nothing is hidden.
 */
const RoleContext = createContext<{ role: Role; minimum: Role }>({ role: "admin", minimum: "viewer" });

export function RoleProvider({ role, children }: { role: Role; children: ReactNode }) {
  return <RoleContext value={{ role, minimum: "viewer" }}>{children}</RoleContext>;
}

/** The part of a page whose changes need at least `minimum` ("viewer": anyone, e.g. one's own API tokens). */
export function ChangeScope({ minimum, children }: { minimum: Role; children: ReactNode }) {
  const { role } = useContext(RoleContext);
  return <RoleContext value={{ role, minimum }}>{children}</RoleContext>;
}

export function useMayChange(): boolean {
  const { role, minimum } = useContext(RoleContext);
  return atLeast(role, minimum);
}

/** Draws its children (an "Add site" link, a button) only for a role that may use them here, or that has `minimum`. */
export function IfMayChange({ minimum, children }: { minimum?: Role; children: ReactNode }) {
  const context = useContext(RoleContext);
  return atLeast(context.role, minimum ?? context.minimum) ? children : null;
}
