import type { Metadata } from "next";
import type { ReactNode } from "react";
import { THEME_SCRIPT } from "./_lib/theme";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Gatekeeper", template: "%s · Gatekeeper" },
  description: "Put your websites behind a managed reverse proxy.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The theme script sets the "dark" class before React hydrates.
    <html lang="en" suppressHydrationWarning>
      <head>
        {/* biome-ignore lint/security/noDangerouslySetInnerHtml: our own constant, run before the first paint to avoid a light flash */}
        <script dangerouslySetInnerHTML={{ __html: THEME_SCRIPT }} />
      </head>
      <body className="min-h-screen font-sans">{children}</body>
    </html>
  );
}
