import { z } from "zod";

export const refundReasons = ["requested_by_customer", "duplicate", "fraudulent"] as const;
export type RefundReason = (typeof refundReasons)[number];

/**
 * What an organizer asks for: nothing (the whole remainder), an `amount` in minor units, or
 * `ticketIds` (their price; the tickets are voided). Never both an amount and tickets.
 */
export const refundInputSchema = z
  .object({
    amount: z.number().int("must be a whole number of minor units").positive("must be greater than 0").max(100_000_000).optional(),
    ticketIds: z.array(z.uuid("must be ticket ids")).min(1, "must list at least one ticket").max(100).optional(),
    releasePlaces: z.boolean().optional(),
    reason: z.enum(refundReasons).optional(),
    note: z.string().trim().max(500).optional(),
  })
  .refine((v) => v.amount === undefined || v.ticketIds === undefined, {
    message: "give either an amount or tickets, not both",
    path: ["amount"],
  });

export type RefundInput = z.infer<typeof refundInputSchema>;

/**
 * What the organizer saw before confirming: the amount and the tickets the refund would void. The
 * confirmation refunds only if the request still means exactly this ("everything that remains"
 * grows when a pending refund fails in between).
 */
export const reviewedRefundSchema = z.object({
  amount: z.number().int().positive(),
  ticketIds: z.array(z.uuid()).max(100),
});

export type ReviewedRefund = z.infer<typeof reviewedRefundSchema>;

/**
 * The confirmation step's hidden field: the request, what its review showed, and the review's
 * one-time token (the refund's request key: confirming the same review twice refunds once).
 */
export const refundConfirmationSchema = z.object({
  input: refundInputSchema,
  reviewed: reviewedRefundSchema,
  requestToken: z.string().min(16).max(100),
});
