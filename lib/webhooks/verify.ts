import "server-only";
import Stripe from "stripe";
import { z } from "zod";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** Stripe's own limit for event payloads is far below this; anything larger is not from Stripe. */
export const maxWebhookBytes = 1024 * 1024;

// Stripe's default: a signature older than five minutes is a replay.
const toleranceSeconds = 300;

const eventShape = z.object({
  id: z.string().min(1),
  object: z.literal("event"),
  type: z.string().min(1),
  created: z.number().int(),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

/**
 * Verifies the `Stripe-Signature` header against the exact raw body with the endpoint's secret.
 * There is no unverified path: anything that fails is a 400 and nothing is written.
 */
export function verifyStripeWebhook(rawBody: string, signature: string | null): Stripe.Event {
  if (!signature) throw new AppError("invalid_signature", "The Stripe-Signature header is missing.");
  let parsed: unknown;
  try {
    parsed = Stripe.webhooks.constructEvent(rawBody, signature, getEnv().stripe.webhookSecret, toleranceSeconds);
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw new AppError("invalid_signature", "The webhook signature is invalid, or its timestamp is outside the tolerance.");
    }
    if (error instanceof SyntaxError) throw new AppError("invalid_request", "The webhook body is not valid JSON.");
    throw error;
  }
  if (!eventShape.safeParse(parsed).success) {
    throw new AppError("invalid_request", "The webhook body is not a Stripe event.");
  }
  return parsed as Stripe.Event;
}

/**
 * The raw body exactly as Stripe signed it (`await request.text()`), refused above 1 MB: the
 * declared length is checked before reading, the real size after (a chunked body declares none).
 */
export async function readWebhookBody(request: Request): Promise<string> {
  const tooLarge = () => new AppError("invalid_request", "The webhook body is larger than 1 MB.");
  if (Number(request.headers.get("content-length") ?? "0") > maxWebhookBytes) throw tooLarge();
  const rawBody = await request.text();
  if (Buffer.byteLength(rawBody, "utf8") > maxWebhookBytes) throw tooLarge();
  return rawBody;
}
