import "server-only";
import type { Executor } from "../client";
import { runStatement } from "../raw";
import type { ReceiptSnapshot } from "../schema";

export interface PaidFulfilment {
  /** The webhook event that triggered it; absent when the success page fulfils. */
  event?: { id: string; type: string; createdAt: Date; rawBody: string };
  payment: { id: string; eventId: string; ticketTypeId: string; organizationId: string; userId: string };
  paidAt: Date;
  paymentIntentId: string | null;
  /** One ticket per code (URL-safe base64, so a comma separates them unambiguously). */
  ticketCodes: string[];
  receipt: { number: string; snapshot: ReceiptSnapshot };
}

/**
 * Everything a paid payment gets, as one statement: the payment marked succeeded, the event
 * recorded, its tickets and its receipt — each part only if the payment row was updated, so the
 * tickets can never be issued twice. One statement is one round trip and one write on the
 * connection: this is the hot path of every webhook.
 *
 * Under the payment lock (`unlocked: false`) the caller has decided; the update only checks that
 * the event was not recorded before (a redelivery changes nothing, without a rollback). Without a
 * lock (`unlocked: true`, the optimistic path) the update also re-checks, on the row as it is when
 * the update gets it, what made the payment payable: still pending, not flagged, its hold still
 * reserving its places. A concurrent fulfilment holding the row makes the update wait and then
 * find it no longer pending. Returns whether it was applied.
 */
export async function recordPaidFulfilment(executor: Executor, f: PaidFulfilment, { unlocked }: { unlocked: boolean }): Promise<boolean> {
  const [row] = await runStatement(executor, paidFulfilment, [
    f.event?.id ?? null,
    f.event?.type ?? null,
    f.event?.createdAt.toISOString() ?? null,
    f.event?.rawBody ?? null,
    f.payment.id,
    f.payment.eventId,
    f.payment.ticketTypeId,
    f.payment.organizationId,
    f.payment.userId,
    f.paidAt.toISOString(),
    f.paymentIntentId,
    f.ticketCodes.join(","),
    f.receipt.number,
    JSON.stringify(f.receipt.snapshot),
    unlocked,
  ]);
  return row?.applied === true;
}

// The receipt's insert passes over a conflict on payment_id only (the receipt exists: a redelivery).
// A conflict on receipt_number is left to fail the whole statement on purpose: it would mean two
// payments share the number's id part, which the id-prefix index on event_payments (0009) rules out
// — no two payments share the first 8 characters of their ids. Were it to happen anyway (a payment
// row deleted while its receipt stays), the statement rolls back, the error is logged and the
// webhook answers 500, so Stripe retries and the payment stays visibly unfulfilled; swallowing the
// conflict instead would leave a paid payment with tickets and no receipt, silently.
const paidFulfilment = `
  with paid as (
    update "event_payments"
    set "status" = 'succeeded', "paid_at" = $10::timestamptz, "stripe_payment_intent_id" = $11::text,
        "failure_reason" = null, "updated_at" = now()
    where "id" = $5::uuid
      and ($1::text is null or not exists (select 1 from "stripe_events" where "id" = $1::text))
      and (not $15::boolean or ("status" = 'pending' and "flagged_at" is null and not "hold_lapsed" and "hold_expires_at" > $10::timestamptz))
    returning 1
  ), recorded as (
    insert into "stripe_events" ("id", "type", "payment_id", "stripe_created_at", "processed_at", "payload")
    select $1::text, $2::text, $5::uuid, $3::timestamptz, now(), $4::jsonb
    where $1::text is not null and exists (select 1 from paid)
    on conflict ("id") do nothing
  ), issued as (
    insert into "tickets" ("payment_id", "event_id", "ticket_type_id", "organization_id", "owner_user_id", "issued_at", "code")
    select $5::uuid, $6::uuid, $7::uuid, $8::uuid, $9::text, $10::timestamptz, code
    from unnest(string_to_array($12::text, ',')) as code
    where exists (select 1 from paid)
  ), receipt as (
    insert into "event_payment_receipts" ("payment_id", "organization_id", "event_id", "user_id", "receipt_number", "snapshot", "issued_at")
    select $5::uuid, $8::uuid, $6::uuid, $9::text, $13::text, $14::jsonb, $10::timestamptz
    where exists (select 1 from paid)
    on conflict ("payment_id") do nothing
  )
  select exists (select 1 from paid) as "applied"`;
