import type { ReactNode } from "react";
import { Logo } from "../_components/logo";
import { ThemeSwitch } from "../_components/theme-switch";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="relative flex min-h-screen flex-col items-center justify-center px-4 py-12">
      <ThemeSwitch className="absolute top-3 right-4" />
      <Logo className="mb-8 text-lg" />
      <div className="w-full max-w-md">{children}</div>
    </main>
  );
}
