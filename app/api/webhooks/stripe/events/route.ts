// POST /api/webhooks/stripe/events – Stripe's signed events: verify, then dispatch to lib/webhooks
import { json, route } from "@/lib/http/respond";
import { handleStripeEvent } from "@/lib/webhooks/handle-event";
import { readWebhookBody, verifyStripeWebhook } from "@/lib/webhooks/verify";

export const POST = route(async (request: Request) => {
  const rawBody = await readWebhookBody(request);
  const event = verifyStripeWebhook(rawBody, request.headers.get("stripe-signature"));
  await handleStripeEvent(event, rawBody);
  return json({ received: true });
});
