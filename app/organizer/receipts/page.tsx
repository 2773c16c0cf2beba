import type { Metadata } from "next";
import Link from "next/link";
import { Money } from "@/app/_components/money";
import { requireOrganizerContext } from "@/lib/auth/organization-context";
import { AppError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format/dates";
import { check } from "@/lib/validation";
import { receiptQueryInput, receiptQuerySchema, receiptQueryString, type ReceiptQuery } from "@/lib/organizer/receipt-query";
import { listEventChoicesOf, listReceipts } from "@/lib/organizer/receipts";
import { ReceiptFilters } from "./receipt-filters";
import { StatusBadge } from "./status-badge";

export const metadata: Metadata = { title: "Receipts" };

export default async function ReceiptsPage({ searchParams }: PageProps<"/organizer/receipts">) {
  const context = await requireOrganizerContext("/organizer/receipts");
  const parsed = check(receiptQuerySchema, receiptQueryInput(await searchParams));
  const query: ReceiptQuery = parsed.ok ? parsed.data : {};
  let problem = parsed.ok ? undefined : "Some filters were not valid and were ignored.";
  let result: Awaited<ReturnType<typeof listReceipts>> = { rows: [], nextCursor: undefined };
  try {
    result = await listReceipts(context.organizationId, query);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    problem = error.message;
  }
  const events = await listEventChoicesOf(context.organizationId);
  const { cursor: _cursor, ...filter } = query;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-2xl font-bold">Receipts</h1>
        <a href={`/organizer/receipts/export${receiptQueryString(filter)}`} className="rounded-lg border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50" download>
          Export CSV
        </a>
      </div>
      <ReceiptFilters query={filter} events={events} />
      {problem && <p role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">{problem}</p>}
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="w-full text-sm">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-3 py-2">Receipt</th>
              <th scope="col" className="px-3 py-2">Date</th>
              <th scope="col" className="px-3 py-2">Buyer</th>
              <th scope="col" className="px-3 py-2">Event · tickets</th>
              <th scope="col" className="px-3 py-2 text-right">Total</th>
              <th scope="col" className="px-3 py-2 text-right">Refunded</th>
              <th scope="col" className="px-3 py-2">Status</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {result.rows.map((r) => (
              <tr key={r.id} data-testid="receipt-row" className="hover:bg-slate-50">
                <td className="px-3 py-2 font-mono text-xs">
                  <Link href={`/organizer/payments/${r.paymentId}`} className="font-medium text-brand-700 hover:underline">{r.receiptNumber}</Link>
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-slate-600">{formatDateTime(r.issuedAt)}</td>
                <td className="px-3 py-2">
                  {r.snapshot.buyer.name && <span className="block">{r.snapshot.buyer.name}</span>}
                  <span className="text-slate-600">{r.snapshot.buyer.email}</span>
                </td>
                <td className="px-3 py-2">
                  <span className="block">{r.snapshot.event.title}</span>
                  <span className="text-slate-600">{r.snapshot.items.map((i) => `${i.ticketType} × ${i.quantity}`).join(", ")}</span>
                </td>
                <td className="px-3 py-2 text-right"><Money amount={r.amountTotal} currency={r.currency} /></td>
                <td className="px-3 py-2 text-right"><Money amount={r.amountRefunded} currency={r.currency} /></td>
                <td className="px-3 py-2"><StatusBadge status={r.status} disputed={!!r.disputedAt} /></td>
              </tr>
            ))}
            {result.rows.length === 0 && (
              <tr><td colSpan={7} className="px-3 py-8 text-center text-slate-500">No receipts match.</td></tr>
            )}
          </tbody>
        </table>
      </div>
      <nav aria-label="Pages" className="flex justify-between text-sm">
        {query.cursor ? <Link href={`/organizer/receipts${receiptQueryString(filter)}`} className="font-medium text-brand-700 hover:underline">First page</Link> : <span />}
        {result.nextCursor && (
          <Link href={`/organizer/receipts${receiptQueryString({ ...filter, cursor: result.nextCursor })}`} className="font-medium text-brand-700 hover:underline">
            Next page
          </Link>
        )}
      </nav>
    </div>
  );
}
