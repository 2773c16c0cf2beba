"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const links = [
  { href: "/organizer", label: "Overview" },
  { href: "/organizer/receipts", label: "Receipts" },
  { href: "/organizer/members", label: "Members" },
] as const;

export function OrganizerNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Organizer">
      <ul className="space-y-1">
        {links.map(({ href, label }) => {
          const active = href === "/organizer" ? pathname === href : pathname.startsWith(href);
          return (
            <li key={href}>
              <Link href={href} aria-current={active ? "page" : undefined}
                className={`block rounded-lg px-3 py-2 text-sm font-medium ${active ? "bg-brand-50 text-brand-700" : "text-slate-700 hover:bg-slate-100"}`}>
                {label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
