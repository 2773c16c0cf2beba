import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Money } from "@/app/_components/money";
import { StatusBadge } from "@/app/organizer/receipts/status-badge";
import { canManage, requireOrganizerContext } from "@/lib/auth/organization-context";
import { AppError } from "@/lib/errors";
import { formatDateTime, formatEventDate } from "@/lib/format/dates";
import { formatMoney } from "@/lib/money";
import { getPaymentDetails, type PaymentDetails } from "@/lib/organizer/payment-details";
import { retryRefundAction } from "./actions";
import { RefundForm } from "./refund-form";

export const metadata: Metadata = { title: "Payment" };

async function load(organizationId: string, paymentId: string): Promise<PaymentDetails> {
  try {
    return await getPaymentDetails(organizationId, paymentId);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
}

export default async function PaymentPage({ params }: PageProps<"/organizer/payments/[paymentId]">) {
  const { paymentId } = await params;
  const context = await requireOrganizerContext(`/organizer/payments/${paymentId}`);
  const d = await load(context.organizationId, paymentId);
  const p = d.payment;
  const money = (amount: number) => <Money amount={amount} currency={p.currency} />;
  const numbered = d.tickets.map((t, i) => ({ ...t, number: i + 1 }));
  return (
    <div className="space-y-8">
      <header className="space-y-1">
        <p className="text-sm text-slate-600"><Link href="/organizer/receipts" className="hover:underline">Receipts</Link> / payment</p>
        <h1 className="flex flex-wrap items-center gap-3 text-2xl font-bold">
          {d.receipt?.receiptNumber ?? "Payment"} <StatusBadge status={p.status} disputed={!!p.disputedAt} />
        </h1>
        <p className="text-slate-700">{d.event.title} · {formatEventDate(d.event.startsAt, d.event.timeZone)}</p>
        {d.receipt && <Link href={`/receipts/${p.id}`} className="text-sm font-medium text-brand-700 hover:underline">Open the buyer&apos;s receipt</Link>}
      </header>

      <section aria-labelledby="summary" className="grid gap-4 sm:grid-cols-2">
        <h2 id="summary" className="sr-only">Summary</h2>
        <dl className="space-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <Row label="Buyer">{d.buyer.name ? `${d.buyer.name} · ` : ""}{d.buyer.email}</Row>
          <Row label="Tickets">{d.ticketType.name} × {p.quantity} at {money(p.unitAmount)}</Row>
          <Row label="Total">{money(p.amountTotal)}</Row>
          <Row label="Refunded"><span data-testid="amount-refunded">{money(p.amountRefunded)}</span>{d.pendingRefunds > 0 && <> (+{money(d.pendingRefunds)} pending)</>}</Row>
          <Row label="Net">{money(p.amountTotal - p.amountRefunded)}</Row>
          <Row label="Paid">{p.paidAt ? formatDateTime(p.paidAt) : "—"}</Row>
        </dl>
        <dl className="space-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm">
          <Row label="Payment id"><code className="text-xs">{p.id}</code></Row>
          <Row label="Checkout Session"><code className="text-xs">{p.stripeCheckoutSessionId ?? "—"}</code></Row>
          <Row label="PaymentIntent"><code className="text-xs">{p.stripePaymentIntentId ?? "—"}</code></Row>
          <Row label="Dispute">{p.disputedAt ? `${p.disputeStatus ?? "open"} since ${formatDateTime(p.disputedAt)}` : "none"}</Row>
          {p.failureReason && <Row label="Last failure">{p.failureReason}</Row>}
          {p.flaggedAt && <Row label="Flagged">{formatDateTime(p.flaggedAt)} — Stripe&apos;s amount did not match</Row>}
        </dl>
      </section>

      <section aria-labelledby="tickets-heading">
        <h2 id="tickets-heading" className="text-lg font-semibold">Tickets</h2>
        <ul className="mt-2 divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
          {numbered.map((t) => (
            <li key={t.id} data-testid="ticket" className="flex items-center gap-3 px-3 py-2">
              <span>Ticket {t.number}</span>
              <code className="text-xs text-slate-500">{t.code.slice(0, 8)}…</code>
              <span className="ml-auto font-mono text-xs">{t.status}{t.status === "void" && (t.placeReleased ? " · place back on sale" : " · place kept")}</span>
            </li>
          ))}
          {numbered.length === 0 && <li className="px-3 py-4 text-slate-500">No tickets issued.</li>}
        </ul>
      </section>

      <section aria-labelledby="refunds-heading" className="space-y-3">
        <h2 id="refunds-heading" className="text-lg font-semibold">Refunds</h2>
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
          {d.refunds.map(({ refund: r, createdBy }) => (
            <li key={r.id} data-testid="refund" className="flex flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2">
              <span className="font-medium">{money(r.amount)}</span>
              <span className="font-mono text-xs">{r.status}</span>
              <span>{r.external ? "external (made in Stripe)" : `by ${createdBy?.name ?? createdBy?.email ?? "a former member"}`}</span>
              {r.reason && <span className="text-slate-600">{r.reason.replaceAll("_", " ")}</span>}
              {r.ticketIds.length > 0 && <span className="text-slate-600">{r.ticketIds.length} ticket(s)</span>}
              {r.note && <span className="italic text-slate-600">“{r.note}”</span>}
              {r.failureReason && <span className="text-red-700">{r.failureReason}</span>}
              <span className="ml-auto text-xs text-slate-500">{formatDateTime(r.createdAt)}{r.stripeRefundId && <> · <code>{r.stripeRefundId}</code></>}</span>
              {r.status === "pending" && !r.stripeRefundId && canManage(context.role) && (
                <form action={retryRefundAction}>
                  <input type="hidden" name="paymentId" value={p.id} />
                  <input type="hidden" name="refundId" value={r.id} />
                  <button type="submit" className="text-xs font-medium text-brand-700 hover:underline">Retry with Stripe</button>
                </form>
              )}
            </li>
          ))}
          {d.refunds.length === 0 && <li className="px-3 py-4 text-slate-500">No refunds.</li>}
        </ul>
        {canManage(context.role) && d.remaining > 0 && (
          <RefundForm
            paymentId={p.id}
            currency={p.currency}
            remainingLabel={formatMoney(d.remaining, p.currency)}
            tickets={numbered.filter((t) => t.status === "valid").map(({ id, code, number }) => ({ id, code, number }))}
          />
        )}
        {!canManage(context.role) && <p className="text-sm text-slate-600">Only owners and admins can refund.</p>}
      </section>

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading" className="text-lg font-semibold">Stripe events</h2>
        <ol className="mt-2 space-y-1 border-l-2 border-slate-200 pl-4 text-sm">
          {d.stripeEvents.map((e) => (
            <li key={e.id} data-testid="stripe-event">
              <span className="font-mono">{e.type}</span>{" "}
              <span className="text-xs text-slate-500">{formatDateTime(e.stripeCreatedAt)} · {e.id}{e.processedAt ? "" : " · not processed"}</span>
            </li>
          ))}
          {d.stripeEvents.length === 0 && <li className="text-slate-500">No events received for this payment yet.</li>}
        </ol>
      </section>
    </div>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="flex gap-3">
      <dt className="w-36 shrink-0 text-slate-500">{label}</dt>
      <dd className="min-w-0 break-words">{children}</dd>
    </div>
  );
}
