import type Stripe from "stripe";
import type { EmulatorContext } from "../context";
import { randomId } from "../store";
import { invalidParam, invalidRequest, noSuchResource } from "../wire/errors";

const evidenceFields = [
  "access_activity_log", "billing_address", "cancellation_policy", "cancellation_policy_disclosure", "cancellation_rebuttal",
  "customer_communication", "customer_email_address", "customer_name", "customer_purchase_ip", "customer_signature",
  "duplicate_charge_documentation", "duplicate_charge_explanation", "duplicate_charge_id", "product_description", "receipt",
  "refund_policy", "refund_policy_disclosure", "refund_refusal_explanation", "service_date", "service_documentation",
  "shipping_address", "shipping_carrier", "shipping_date", "shipping_documentation", "shipping_tracking_number",
  "uncategorized_file", "uncategorized_text",
] as const;

/**
 * The cardholder disputes a charge with their bank (Stripe's 4000000000000259 card, on demand), or
 * only asks about it: an inquiry (4000000000001976) starts as `warning_needs_response` and either
 * closes as `warning_closed` (no chargeback) or would escalate.
 */
export function openDispute(
  ctx: EmulatorContext,
  chargeId: string,
  options: { amount?: number; reason?: string; inquiry?: boolean } = {},
): Stripe.Dispute {
  const charge = ctx.store.charges[chargeId];
  if (!charge) throw noSuchResource("charge", chargeId);
  if (charge.status !== "succeeded") throw invalidRequest(`Charge ${chargeId} has not succeeded; it cannot be disputed.`);
  if (Object.values(ctx.store.disputes).some((d) => d.charge === chargeId)) throw invalidRequest(`Charge ${chargeId} is already disputed.`);
  const amount = options.amount ?? charge.amount - charge.amount_refunded;
  if (amount <= 0 || amount > charge.amount) throw invalidParam("amount", `A dispute amount must be between 1 and ${charge.amount}.`);
  const now = ctx.clock.nowSeconds();
  const dispute: Stripe.Dispute = {
    id: randomId("dp_"),
    object: "dispute",
    amount,
    balance_transactions: [],
    charge: chargeId,
    created: now,
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence: { ...(Object.fromEntries(evidenceFields.map((f) => [f, null])) as Record<(typeof evidenceFields)[number], null>), enhanced_evidence: {} },
    evidence_details: { due_by: now + 7 * 24 * 3600, enhanced_eligibility: {}, has_evidence: false, past_due: false, submission_count: 0, submission_method: "not_submitted" },
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: typeof charge.payment_intent === "string" ? charge.payment_intent : null,
    reason: options.reason ?? "fraudulent",
    status: options.inquiry ? "warning_needs_response" : "needs_response",
  };
  ctx.store.disputes[dispute.id] = dispute;
  charge.disputed = true;
  ctx.emit("charge.dispute.created", dispute);
  return dispute;
}

const closedStatuses = new Set<Stripe.Dispute.Status>(["won", "lost", "warning_closed"]);

/** A chargeback closes `won` or `lost`; an inquiry closes `warning_closed`. */
export function closeDispute(ctx: EmulatorContext, id: string, status: string): Stripe.Dispute {
  const dispute = retrieveDispute(ctx, id);
  if (closedStatuses.has(dispute.status)) throw invalidRequest(`Dispute ${id} is already closed (${dispute.status}).`);
  const inquiry = dispute.status.startsWith("warning_");
  if (inquiry && status !== "warning_closed") throw invalidParam("status", 'An inquiry closes with status "warning_closed".');
  if (!inquiry && status !== "won" && status !== "lost") throw invalidParam("status", 'status must be "won" or "lost".');
  dispute.status = status as Stripe.Dispute.Status;
  ctx.emit("charge.dispute.closed", dispute);
  return dispute;
}

export function retrieveDispute(ctx: EmulatorContext, id: string): Stripe.Dispute {
  const dispute = ctx.store.disputes[id];
  if (!dispute) throw noSuchResource("dispute", id);
  return dispute;
}
