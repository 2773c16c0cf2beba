import type { Metadata } from "next";
import Link from "next/link";
import { Money } from "@/app/_components/money";
import { requireOrganizerContext } from "@/lib/auth/organization-context";
import { formatDateTime, formatEventDate } from "@/lib/format/dates";
import { getOrganizerOverview } from "@/lib/organizer/overview";
import { StatusBadge } from "./receipts/status-badge";

export const metadata: Metadata = { title: "Overview" };

export default async function OrganizerOverviewPage() {
  const context = await requireOrganizerContext("/organizer");
  const { events, latestPayments } = await getOrganizerOverview(context.organizationId);
  return (
    <div className="space-y-10">
      <section aria-labelledby="events-heading">
        <h1 id="events-heading" className="text-2xl font-bold">Sales by event</h1>
        <p className="mt-1 text-sm text-slate-600">Amounts in each event&apos;s currency; refunded counts what Stripe confirmed.</p>
        <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full text-sm">
            <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th scope="col" className="px-3 py-2">Event</th>
                <th scope="col" className="px-3 py-2 text-right">Sold / capacity</th>
                <th scope="col" className="px-3 py-2 text-right">Gross</th>
                <th scope="col" className="px-3 py-2 text-right">Refunded</th>
                <th scope="col" className="px-3 py-2 text-right">Net</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {events.map((e) => (
                <tr key={e.id} data-testid="event-summary">
                  <th scope="row" className="px-3 py-2 text-left font-medium">
                    <Link href={`/organizer/receipts?event=${e.id}`} className="hover:underline">{e.title}</Link>
                    <span className="block text-xs font-normal text-slate-500">
                      {formatEventDate(e.startsAt, e.timeZone)} · {e.currency.toUpperCase()}{e.status !== "published" && ` · ${e.status}`}
                    </span>
                  </th>
                  <td className="px-3 py-2 text-right tabular-nums">{e.sold} / {e.capacity}</td>
                  <td className="px-3 py-2 text-right"><Money amount={e.gross} currency={e.currency} /></td>
                  <td className="px-3 py-2 text-right"><Money amount={e.refunded} currency={e.currency} /></td>
                  <td className="px-3 py-2 text-right font-medium"><Money amount={e.net} currency={e.currency} /></td>
                </tr>
              ))}
              {events.length === 0 && (
                <tr><td colSpan={5} className="px-3 py-6 text-center text-slate-500">No events yet.</td></tr>
              )}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="latest-heading">
        <div className="flex items-baseline justify-between">
          <h2 id="latest-heading" className="text-xl font-semibold">Latest payments</h2>
          <Link href="/organizer/receipts" className="text-sm font-medium text-brand-700 hover:underline">All receipts</Link>
        </div>
        <ul className="mt-3 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {latestPayments.map((p) => (
            <li key={p.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2 text-sm">
              <Link href={`/organizer/payments/${p.id}`} className="font-medium text-brand-700 hover:underline">{p.buyerEmail}</Link>
              <span className="text-slate-600">{p.eventTitle} × {p.quantity}</span>
              <StatusBadge status={p.status} />
              <span className="ml-auto tabular-nums"><Money amount={p.amountTotal} currency={p.currency} /></span>
              <span className="w-40 text-right text-xs text-slate-500">{formatDateTime(p.paidAt ?? p.createdAt)}</span>
            </li>
          ))}
          {latestPayments.length === 0 && <li className="px-3 py-6 text-center text-sm text-slate-500">No payments yet.</li>}
        </ul>
      </section>
    </div>
  );
}
