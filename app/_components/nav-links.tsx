"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { atLeast, type Role } from "@/lib/auth/roles";
import { cn } from "../_lib/cn";

const LINKS: { href: string; label: string; minimum?: Role }[] = [
  { href: "/", label: "Overview" },
  { href: "/sites", label: "Sites" },
  { href: "/streams", label: "Streams" },
  { href: "/certificates", label: "Certificates" },
  { href: "/access-lists", label: "Access lists" },
  { href: "/dns-providers", label: "DNS providers" },
  { href: "/traffic", label: "Traffic" },
  { href: "/explain", label: "Explain" },
  { href: "/history", label: "History" },
  { href: "/users", label: "Users", minimum: "admin" },
  { href: "/settings", label: "Settings" },
];

export function NavLinks({ role }: { role: Role }) {
  const pathname = usePathname();
  return (
    // Wrapped, never scrolled: on a phone every link stays in sight (a second row), none hides off-screen.
    <ul className="flex flex-wrap items-center gap-1">
      {LINKS.filter((link) => !link.minimum || atLeast(role, link.minimum)).map((link) => {
        const active = link.href === "/" ? pathname === "/" : pathname === link.href || pathname.startsWith(`${link.href}/`);
        return (
          <li key={link.href}>
            <Link
              href={link.href}
              aria-current={active ? "page" : undefined}
              className={cn(
                "block rounded-md px-2.5 py-1.5 text-sm font-medium whitespace-nowrap transition-colors",
                active ? "bg-slate-100 text-slate-900" : "text-slate-600 hover:bg-slate-50 hover:text-slate-900",
              )}
            >
              {link.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}
