import Stripe from "stripe";

/**
 * A Stripe event envelope as Stripe sends it, with its body signed for `secret`. Free of vitest, so
 * the webhook benchmark signs its deliveries with the same code as the tests.
 */
export function signedStripeEvent(
  type: string,
  object: object,
  options: { id?: string; secret: string; timestamp?: number },
) {
  const event = {
    id: options.id ?? `evt_test_${crypto.randomUUID().replace(/-/g, "")}`,
    object: "event",
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  };
  const payload = JSON.stringify(event);
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: options.secret, timestamp: options.timestamp });
  return { event, payload, header };
}
