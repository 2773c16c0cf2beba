import type Stripe from "stripe";
import type { EmulatorContext, RequestInfo } from "../context";
import { partitionDue, randomId } from "../store";
import { invalidParam, invalidRequest, noSuchResource } from "../wire/errors";
import type { FormObject } from "../wire/form";
import { optionalInteger, optionalString, readMetadata, rejectUnknown } from "../wire/params";
import { formatAmount } from "./currency";
import { paginate, readRange } from "./list";

const reasons = ["duplicate", "fraudulent", "requested_by_customer"] as const;

export interface RefundRequest {
  paymentIntent?: string;
  charge?: string;
  amount?: number;
  reason?: Stripe.Refund.Reason;
  metadata?: Record<string, string>;
}

export function readRefundParams(params: FormObject): RefundRequest {
  rejectUnknown(params, ["payment_intent", "charge", "amount", "reason", "metadata", "expand"]);
  const reason = optionalString(params.reason, "reason");
  if (reason !== undefined && !(reasons as readonly string[]).includes(reason)) {
    throw invalidParam("reason", `Invalid reason: must be one of ${reasons.join(", ")}`);
  }
  const amount = optionalInteger(params.amount, "amount");
  if (amount !== undefined && amount <= 0) throw invalidParam("amount", "Invalid positive integer", "parameter_invalid_integer");
  return {
    paymentIntent: optionalString(params.payment_intent, "payment_intent"),
    charge: optionalString(params.charge, "charge"),
    amount,
    reason: reason as Stripe.Refund.Reason | undefined,
    metadata: readMetadata(params.metadata, "metadata"),
  };
}

/** Dispute statuses that block refunds: a chargeback still open or lost. An inquiry (warning_*) does not, a won one no longer does. */
const refundBlockingDisputes = new Set<string>(["needs_response", "under_review", "lost"]);

/** `POST /v1/refunds` (and the dashboard's refund button, which calls this with no request). */
export function createRefund(ctx: EmulatorContext, req: RefundRequest, request: RequestInfo | null): Stripe.Refund {
  const charge = refundableCharge(ctx, req);
  if (charge.disputed && Object.values(ctx.store.disputes).some((d) => d.charge === charge.id && refundBlockingDisputes.has(d.status))) {
    throw invalidRequest(`Charge ${charge.id} has been charged back; cannot issue a refund.`, { code: "charge_disputed" });
  }
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining <= 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: "charge_already_refunded" });
  const amount = req.amount ?? remaining;
  if (amount > remaining) {
    throw invalidRequest(
      `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`,
      { param: "amount", code: "amount_too_large" },
    );
  }
  const now = ctx.clock.nowSeconds();
  const bankDebit = charge.payment_method_details?.type === "sepa_debit";
  const refund: Stripe.Refund = {
    id: randomId("re_"),
    object: "refund",
    amount,
    balance_transaction: bankDebit ? null : randomId("txn_"),
    charge: charge.id,
    created: now,
    currency: charge.currency,
    customer: null,
    customer_account: null,
    destination_details: bankDebit
      ? { type: "sepa_debit" }
      : { type: "card", card: { reference_status: "pending", type: "refund" } },
    metadata: req.metadata ?? {},
    payment_intent: typeof charge.payment_intent === "string" ? charge.payment_intent : null,
    payment_method: charge.payment_method,
    reason: req.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    // Bank debits refund slowly: pending until the emulator clock passes the settlement delay.
    status: bankDebit ? "pending" : "succeeded",
    transfer_reversal: null,
  };
  ctx.store.refunds[refund.id] = refund;
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded >= charge.amount;
  const dueAt = ctx.clock.nowMs() + ctx.settleDelaySeconds * 1000;
  if (bankDebit) ctx.store.pendingRefunds.push({ refundId: refund.id, dueAt, outcome: "succeeded" });
  else if (ctx.store.failingRefundCharges.includes(charge.id)) ctx.store.pendingRefunds.push({ refundId: refund.id, dueAt, outcome: "failed" });
  ctx.emit("refund.created", refund, request);
  ctx.emit("charge.refunded", charge, request);
  return refund;
}

function refundableCharge(ctx: EmulatorContext, req: RefundRequest): Stripe.Charge {
  if (req.charge) {
    const charge = ctx.store.charges[req.charge];
    if (!charge) throw noSuchResource("charge", req.charge, "charge");
    if (req.paymentIntent && charge.payment_intent !== req.paymentIntent) {
      throw invalidRequest(`Charge ${charge.id} does not belong to PaymentIntent ${req.paymentIntent}.`, { param: "charge" });
    }
    if (charge.status !== "succeeded") throw invalidRequest(`Charge ${charge.id} has not succeeded; there is nothing to refund.`, { code: "charge_not_refundable" });
    return charge;
  }
  if (!req.paymentIntent) {
    throw invalidRequest("One of the following params should be provided for this request: payment_intent or charge.", { code: "parameter_missing" });
  }
  const pi = ctx.store.paymentIntents[req.paymentIntent];
  if (!pi) throw noSuchResource("payment_intent", req.paymentIntent, "payment_intent");
  const charge = typeof pi.latest_charge === "string" ? ctx.store.charges[pi.latest_charge] : undefined;
  if (pi.status !== "succeeded" || !charge || charge.status !== "succeeded") {
    throw invalidRequest(`This PaymentIntent (${pi.id}) does not have a successful charge to refund.`, { param: "payment_intent", code: "charge_not_refundable" });
  }
  return charge;
}

export function retrieveRefund(ctx: EmulatorContext, id: string): Stripe.Refund {
  const refund = ctx.store.refunds[id];
  if (!refund) throw noSuchResource("refund", id);
  return refund;
}

export function listRefunds(ctx: EmulatorContext, params: FormObject) {
  const pi = optionalString(params.payment_intent, "payment_intent");
  const charge = optionalString(params.charge, "charge");
  const created = readRange(params.created, "created");
  const refunds = Object.values(ctx.store.refunds)
    .filter((r) => (!pi || r.payment_intent === pi) && (!charge || r.charge === charge) && created(r.created))
    .reverse();
  return paginate(refunds, params, "/v1/refunds");
}

/** A refund that had gone through fails later (the money comes back to the merchant). */
export function failRefund(ctx: EmulatorContext, id: string, failureReason: Stripe.Refund["failure_reason"] = "expired_or_canceled_card"): Stripe.Refund {
  const refund = retrieveRefund(ctx, id);
  if (refund.status !== "succeeded" && refund.status !== "pending") {
    throw invalidRequest(`Refund ${id} has status ${refund.status}; only a pending or succeeded refund can fail.`);
  }
  ctx.store.pendingRefunds = ctx.store.pendingRefunds.filter((p) => p.refundId !== id);
  refund.status = "failed";
  refund.failure_reason = failureReason;
  refund.failure_balance_transaction = randomId("txn_");
  const charge = typeof refund.charge === "string" ? ctx.store.charges[refund.charge] : undefined;
  if (charge) {
    charge.amount_refunded -= refund.amount;
    charge.refunded = false;
  }
  ctx.emit("refund.updated", refund);
  ctx.emit("refund.failed", refund);
  if (charge) ctx.emit("charge.refund.updated", refund);
  return refund;
}

/** Pending refunds whose time has come: bank-debit refunds succeed; "refund fails" cards fail. */
export function processDueRefunds(ctx: EmulatorContext): void {
  const [due, waiting] = partitionDue(ctx.store.pendingRefunds, ctx.clock.nowMs());
  if (due.length === 0) return;
  ctx.store.pendingRefunds = waiting;
  for (const item of due) {
    const refund = ctx.store.refunds[item.refundId];
    if (!refund || (refund.status !== "pending" && refund.status !== "succeeded")) continue;
    if (item.outcome === "failed") {
      failRefund(ctx, refund.id);
      continue;
    }
    refund.status = "succeeded";
    refund.balance_transaction = randomId("txn_");
    ctx.emit("refund.updated", refund);
    ctx.emit("charge.refund.updated", refund);
  }
}
