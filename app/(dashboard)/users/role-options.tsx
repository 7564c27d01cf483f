import { ROLES } from "@/lib/auth/roles";

export const ROLE_LABELS = { viewer: "Viewer", operator: "Operator", admin: "Admin" } as const;

export function RoleOptions() {
  return ROLES.map((role) => (
    <option key={role} value={role}>
      {ROLE_LABELS[role]}
    </option>
  ));
}
