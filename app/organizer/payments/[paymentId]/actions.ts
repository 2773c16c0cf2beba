"use server";

import { revalidatePath } from "next/cache";
import { notFound } from "next/navigation";
import { canManage, requireOrganizerContext } from "@/lib/auth/organization-context";
import { AppError } from "@/lib/errors";
import { formatMoney } from "@/lib/money";
import { refundInputFromForm } from "@/lib/refunds/form";
import { refundConfirmationSchema } from "@/lib/refunds/input";
import { refundRequestKey } from "@/lib/refunds/request-key";
import { check } from "@/lib/validation";
import { findPaymentToRefund, quoteRefund, requestRefund, retryPendingRefund } from "@/lib/refunds/request-refund";

export type RefundFormState =
  | { step: "edit"; error?: string; notice?: string }
  | { step: "confirm"; amountLabel: string; input: string; voids: number };

/**
 * The refund form in two steps: "review" works out the amount without writing anything and asks
 * for confirmation; "confirm" re-checks everything on the server and refunds. Each review draws a
 * one-time token that its confirmation sends as the request key, so a double click or a resubmitted
 * confirmation shows the one refund it made instead of making another.
 */
export async function refundAction(_previous: RefundFormState, form: FormData): Promise<RefundFormState> {
  const paymentId = String(form.get("paymentId") ?? "");
  const context = await requireOrganizerContext(`/organizer/payments/${paymentId}`);
  if (!canManage(context.role)) return { step: "edit", error: "Only owners and admins of this organization can refund." };
  const actor = { organizationId: context.organizationId, userId: context.user.id };
  try {
    // Only the currency (to read the amount field) and the 404 for other tenants are needed here.
    const payment = await findPaymentToRefund(context.organizationId, paymentId);
    if (form.get("intent") === "back") return { step: "edit" };
    if (form.get("intent") === "confirm") {
      const { input, reviewed, requestToken } = parseConfirmation(String(form.get("input") ?? ""));
      const result = await requestRefund(actor, paymentId, input, reviewed, refundRequestKey.form(requestToken));
      revalidatePath(`/organizer/payments/${paymentId}`);
      return { step: "edit", notice: `Refund of ${formatMoney(result.amount, result.currency)}: ${result.status}.` };
    }
    const input = refundInputFromForm(form, payment.currency);
    const plan = await quoteRefund(actor, paymentId, input);
    // Confirm is bound to what this review shows, not to "whatever remains" when it runs.
    const confirmation = { input, reviewed: { amount: plan.amount, ticketIds: plan.ticketIds }, requestToken: refundRequestKey.drawToken() };
    return { step: "confirm", amountLabel: formatMoney(plan.amount, plan.currency), input: JSON.stringify(confirmation), voids: plan.ticketIds.length };
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    if (error instanceof AppError) {
      revalidatePath(`/organizer/payments/${paymentId}`);
      return { step: "edit", error: error.message };
    }
    throw error;
  }
}

/** Sends a refund Stripe never answered again, with its original idempotency key. */
export async function retryRefundAction(form: FormData): Promise<void> {
  const paymentId = String(form.get("paymentId") ?? "");
  const context = await requireOrganizerContext(`/organizer/payments/${paymentId}`);
  if (!canManage(context.role)) throw new AppError("forbidden", "Only owners and admins of this organization can refund.");
  try {
    await retryPendingRefund({ organizationId: context.organizationId, userId: context.user.id }, paymentId, String(form.get("refundId") ?? ""));
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    if (!(error instanceof AppError)) throw error;
  }
  revalidatePath(`/organizer/payments/${paymentId}`);
}

function parseConfirmation(text: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = check(refundConfirmationSchema, json);
  if (!parsed.ok) throw new AppError("invalid_request", "The confirmation was garbled; start the refund again.");
  return parsed.data;
}
