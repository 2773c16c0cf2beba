import Link from "next/link";

export function SiteHeader() {
  return (
    <header className="no-print border-b border-slate-200 bg-white">
      <nav aria-label="Main" className="mx-auto flex max-w-5xl items-center gap-6 px-4 py-3">
        <Link href="/" className="text-lg font-bold tracking-tight text-brand-700">
          boxoffice
        </Link>
        <Link href="/" className="text-sm font-medium text-slate-700 hover:text-slate-950">
          Events
        </Link>
        <div className="ml-auto flex items-center gap-4 text-sm" />
      </nav>
    </header>
  );
}
