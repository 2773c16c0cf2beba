import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Money } from "@/app/_components/money";
import { requireUserOrSignIn } from "@/lib/auth/guards";
import { AppError } from "@/lib/errors";
import { formatDateTime, formatEventDate } from "@/lib/format/dates";
import { getReceipt, type ReceiptView } from "@/lib/receipts/get-receipt";
import { PrintButton } from "./print-button";

export const metadata: Metadata = { title: "Receipt" };

async function loadReceipt(paymentId: string, userId: string): Promise<ReceiptView> {
  try {
    return await getReceipt(paymentId, userId);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

const statusLabel: Record<ReceiptView["status"], string> = {
  pending: "Pending",
  succeeded: "Paid",
  failed: "Failed",
  expired: "Expired",
  refunded: "Refunded",
  partially_refunded: "Partially refunded",
};

export default async function ReceiptPage({ params }: PageProps<"/receipts/[paymentId]">) {
  await connection();
  const { paymentId } = await params;
  const user = await requireUserOrSignIn(`/receipts/${paymentId}`);
  const receipt = await loadReceipt(paymentId, user.id);
  const { currency } = receipt;
  return (
    <article className="mx-auto max-w-2xl rounded border border-slate-200 bg-white p-6 print:border-0 print:p-0">
      <header className="flex items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-600">{receipt.organization.name}</p>
          <h1 className="text-2xl font-bold">Receipt</h1>
          <p className="font-mono" data-testid="receipt-number">{receipt.receiptNumber}</p>
        </div>
        <PrintButton />
      </header>

      <dl className="mt-6 grid grid-cols-[9rem_1fr] gap-y-1 text-sm">
        <dt className="text-slate-600">Status</dt>
        <dd data-testid="receipt-status">{statusLabel[receipt.status]}{receipt.disputed ? " (disputed)" : ""}</dd>
        <dt className="text-slate-600">Paid</dt>
        <dd>{formatDateTime(new Date(receipt.paidAt))} UTC</dd>
        <dt className="text-slate-600">Buyer</dt>
        <dd>{receipt.buyer.name ? `${receipt.buyer.name} · ` : ""}{receipt.buyer.email}</dd>
        <dt className="text-slate-600">Event</dt>
        <dd>
          {receipt.event.title}, {formatEventDate(new Date(receipt.event.startsAt), receipt.event.timeZone)}, {receipt.event.venue}
        </dd>
        {receipt.paymentMethod && (
          <>
            <dt className="text-slate-600">Payment method</dt>
            <dd>
              {receipt.paymentMethod.brand ?? receipt.paymentMethod.type.replace(/_/g, " ")}
              {receipt.paymentMethod.last4 ? ` ending in ${receipt.paymentMethod.last4}` : ""}
            </dd>
          </>
        )}
      </dl>

      <table className="mt-6 w-full text-sm">
        <caption className="sr-only">Items</caption>
        <thead>
          <tr className="border-b border-slate-300 text-left">
            <th scope="col" className="py-1">Item</th>
            <th scope="col" className="py-1 text-right">Qty</th>
            <th scope="col" className="py-1 text-right">Unit price</th>
            <th scope="col" className="py-1 text-right">Amount</th>
          </tr>
        </thead>
        <tbody>
          {receipt.items.map((item) => (
            <tr key={item.ticketType} className="border-b border-slate-100">
              <td className="py-1">{item.ticketType}</td>
              <td className="py-1 text-right tabular-nums">{item.quantity}</td>
              <td className="py-1 text-right"><Money amount={item.unitAmount} currency={currency} /></td>
              <td className="py-1 text-right"><Money amount={item.amount} currency={currency} /></td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={3} className="py-1 text-right">Total ({currency.toUpperCase()})</th>
            <td className="py-1 text-right font-semibold"><Money amount={receipt.amountTotal} currency={currency} /></td>
          </tr>
          {receipt.amountRefunded > 0 && (
            <tr>
              <th scope="row" colSpan={3} className="py-1 text-right">Refunded</th>
              <td className="py-1 text-right" data-testid="amount-refunded">
                −<Money amount={receipt.amountRefunded} currency={currency} />
              </td>
            </tr>
          )}
        </tfoot>
      </table>

      {receipt.refunds.length > 0 && (
        <section aria-labelledby="refunds-heading" className="mt-6">
          <h2 id="refunds-heading" className="font-semibold">Refunds</h2>
          <ul className="mt-1 text-sm">
            {receipt.refunds.map((refund) => (
              <li key={refund.id} className="flex justify-between border-b border-slate-100 py-1">
                <span>{formatDateTime(new Date(refund.createdAt))} UTC · {refund.status}</span>
                <Money amount={refund.amount} currency={currency} />
              </li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="tickets-heading" className="mt-6">
        <h2 id="tickets-heading" className="font-semibold">Tickets</h2>
        <ul className="mt-1 text-sm">
          {receipt.tickets.map((ticket) => (
            <li key={ticket.id} className="flex justify-between border-b border-slate-100 py-1">
              <span className="font-mono">{ticket.code}</span>
              <span className="uppercase text-slate-600">{ticket.status}</span>
            </li>
          ))}
        </ul>
      </section>
      <p className="mt-6 text-xs text-slate-500">Issued {formatDateTime(new Date(receipt.issuedAt))} UTC · payment {receipt.paymentId}</p>
    </article>
  );
}
