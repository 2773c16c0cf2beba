import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";
import { SiteHeader } from "./_components/site-header";

export const metadata: Metadata = {
  title: { default: "boxoffice", template: "%s · boxoffice" },
  description: "Tickets for concerts, festivals and nights out.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 font-sans text-slate-900 antialiased">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
          Skip to content
        </a>
        <SiteHeader />
        <main id="main" className="mx-auto w-full max-w-5xl px-4 py-8">
          {children}
        </main>
        <footer className="no-print mx-auto max-w-5xl px-4 pb-10 text-sm text-slate-600">
          <Link href="/" className="underline-offset-2 hover:underline">boxoffice</Link> — payments by Stripe.
        </footer>
      </body>
    </html>
  );
}
