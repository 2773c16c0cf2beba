// A whole payment, from Checkout Session to refund, using only stripe-node and the emulator's
// control API. Run against a running emulator (`npm run stripe:emulator` or `npm start`):
//   npx tsx scripts/stripe-emulator/demo.ts [http://127.0.0.1:12111]
import Stripe from "stripe";

const base = process.argv[2] ?? "http://127.0.0.1:12111";

async function control<T>(path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${base}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

async function main(): Promise<void> {
  const api = new URL(base);
  // Any sk_test_ key works against the emulator.
  const stripe = new Stripe("sk_test_demo", { host: api.hostname, port: Number(api.port || 80), protocol: "http" });
  const step = (text: string) => console.log(`\n→ ${text}`);

  step("create a Checkout Session");
  const session = await stripe.checkout.sessions.create({
    mode: "payment",
    line_items: [{ price_data: { currency: "eur", unit_amount: 2500, product_data: { name: "Demo concert — Standing" } }, quantity: 2 }],
    success_url: "http://localhost:3000/success?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://localhost:3000/cancel",
    expires_at: Math.floor(Date.now() / 1000) + 30 * 60,
    customer_email: "demo@example.com",
    metadata: { demo: "true" },
  });
  console.log(`  ${session.id} ${session.status}, ${session.amount_total} ${session.currency}; hosted page: ${session.url}`);

  step("pay with a declined card (4000 0000 0000 0002)");
  const declined = await control<{ error: { message: string } }>(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4000000000000002" });
  console.log(`  ${declined.status}: ${declined.body.error.message}`);

  step("pay with 4242 4242 4242 4242");
  const paid = await control<{ outcome: string }>(`/_emulator/checkout/sessions/${session.id}/pay`, { card: "4242424242424242" });
  console.log(`  ${paid.status}: ${paid.body.outcome}`);

  const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent.latest_charge"] });
  const pi = done.payment_intent as Stripe.PaymentIntent;
  console.log(`  session ${done.status}/${done.payment_status}; ${pi.id} ${pi.status}; charge ${(pi.latest_charge as Stripe.Charge).id}`);

  step("refund 10.00, then the rest");
  const partial = await stripe.refunds.create({ payment_intent: pi.id, amount: 1000, reason: "requested_by_customer" });
  const rest = await stripe.refunds.create({ payment_intent: pi.id });
  console.log(`  ${partial.id} ${partial.amount} ${partial.status}; ${rest.id} ${rest.amount} ${rest.status}`);
  const tooMuch = await stripe.refunds.create({ payment_intent: pi.id, amount: 1 }).catch((e: Stripe.errors.StripeError) => e);
  console.log(`  one more cent: ${tooMuch instanceof Error ? `${tooMuch.code}: ${tooMuch.message}` : "refunded?!"}`);
  const charge = await stripe.charges.retrieve((pi.latest_charge as Stripe.Charge).id);
  console.log(`  charge refunded: ${charge.amount_refunded}/${charge.amount} (refunded=${charge.refunded})`);

  step("events Stripe would have sent");
  const events = await stripe.events.list({ limit: 20 });
  const mine = events.data.filter((e) => JSON.stringify(e.data.object).includes(pi.id)).reverse();
  for (const e of mine) console.log(`  ${e.id} ${e.type}`);
  const deliveries = await control<{ data: { eventId: string; status: string; statusCodes: (number | null)[] }[] }>("/_emulator/deliveries");
  const delivered = deliveries.body.data.filter((d) => mine.some((e) => e.id === d.eventId));
  console.log(`  webhook deliveries: ${delivered.length} (${delivered.map((d) => `${d.status}${d.statusCodes.length ? ` ${d.statusCodes.map((c) => c ?? "error").join("/")}` : ""}`).join(", ") || "no webhook URL configured"})`);
  console.log("\nDone.");
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
