import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Money } from "@/app/_components/money";
import { requireUserOrSignIn } from "@/lib/auth/guards";
import { getCheckoutOutcome, type CheckoutOutcome } from "@/lib/fulfilment/checkout-outcome";
import { AutoRefresh } from "./auto-refresh";

export const metadata: Metadata = { title: "Your order" };

export default async function CheckoutSuccessPage({ searchParams }: PageProps<"/checkout/success">) {
  await connection();
  const sessionParam = (await searchParams).session_id;
  const sessionId = typeof sessionParam === "string" ? sessionParam : "";
  const user = await requireUserOrSignIn(`/checkout/success?session_id=${encodeURIComponent(sessionId)}`);
  const outcome = await getCheckoutOutcome(sessionId, user.id);
  if (!outcome.found) {
    return (
      <section className="max-w-prose">
        <h1 className="text-2xl font-bold">Order not found</h1>
        <p className="mt-3 text-slate-700">
          We could not find this checkout for your account. If you just paid, open{" "}
          <Link href="/tickets" className="text-brand-700 underline">My tickets</Link>.
        </p>
      </section>
    );
  }
  return <Outcome outcome={outcome} />;
}

function Outcome({ outcome }: { outcome: Extract<CheckoutOutcome, { found: true }> }) {
  const { state, payment, event, receiptNumber, tickets } = outcome;
  const eventLink = event.slug ? (
    <Link href={`/events/${event.slug}`} className="font-medium text-brand-700 underline">
      Back to {event.title}
    </Link>
  ) : null;

  if (state === "paid") {
    return (
      <section aria-labelledby="paid-heading">
        <h1 id="paid-heading" className="text-2xl font-bold">Payment received — your tickets are ready</h1>
        <p className="mt-2 text-slate-700">
          {event.title} · <Money amount={payment.amountTotal} currency={payment.currency} />
        </p>
        {receiptNumber && (
          <p className="mt-4">
            Receipt number <strong data-testid="receipt-number" className="font-mono">{receiptNumber}</strong> ·{" "}
            <Link href={`/receipts/${payment.id}`} className="text-brand-700 underline">View receipt</Link>
          </p>
        )}
        <h2 className="mt-6 text-lg font-semibold">Tickets</h2>
        <ul aria-label="Tickets" className="mt-2 grid gap-2 sm:grid-cols-2">
          {tickets.map((ticket) => (
            <li key={ticket.id} className="rounded border border-slate-200 bg-white p-3">
              <span className="font-mono text-sm" data-testid="ticket-code">{ticket.code}</span>
              <span className="ml-2 text-xs uppercase text-slate-600">{ticket.status}</span>
            </li>
          ))}
        </ul>
        <p className="mt-6"><Link href="/tickets" className="text-brand-700 underline">All my tickets</Link></p>
      </section>
    );
  }
  if (state === "processing" || state === "awaiting_payment") {
    return (
      <section aria-labelledby="processing-heading" aria-live="polite">
        <AutoRefresh seconds={3} />
        <h1 id="processing-heading" className="text-2xl font-bold">Payment processing</h1>
        <p className="mt-3 max-w-prose text-slate-700">
          {state === "processing"
            ? "Your bank debit has been submitted. Bank payments take a little while to confirm; your tickets appear here (and under My tickets) as soon as it settles."
            : "We are waiting for Stripe to confirm your payment. This page updates by itself."}
        </p>
      </section>
    );
  }
  const message = {
    refunded_sold_out:
      "The last places sold out while you were paying, so we refunded your payment in full. Refunds usually reach your account within a few days.",
    failed: `Your payment did not go through${payment.failureReason ? `: ${payment.failureReason}` : "."} No tickets were issued.`,
    expired: "Your checkout expired before it was paid, so your tickets were released. Nothing was charged.",
    under_review:
      "Your payment needs a manual check by the organizer before tickets are issued. You do not need to pay again.",
  }[state];
  const heading = { refunded_sold_out: "Sold out — payment refunded", failed: "Payment failed", expired: "Checkout expired", under_review: "Payment under review" }[state];
  return (
    <section aria-labelledby="problem-heading" className="max-w-prose">
      <h1 id="problem-heading" className="text-2xl font-bold">{heading}</h1>
      <p className="mt-3 text-slate-700" role="status">{message}</p>
      {eventLink && <p className="mt-4">{eventLink}</p>}
    </section>
  );
}
