// npm run bench:webhooks — signed checkout.session.completed events at 50 concurrent deliveries
// against the built app on Postgres + the Stripe emulator, next to the health route's baseline.
import os from "node:os";
import { sql } from "drizzle-orm";
import Stripe from "stripe";
import { eventPayments, events, organizations, ticketTypes, users } from "@/db/schema";
import { benchSecrets, startBenchApp } from "./lib/app";
import { formatCpu, withCpu } from "./lib/cpu";
import { formatResult, healthBaseline, runLoad, type LoadRequest } from "./lib/load";
import { signedStripeEvent } from "@/tests/factories/stripe-event";
import { runScript } from "../lib/run-script";

const port = Number(process.env.BENCH_PORT ?? 3500);
const emulatorPort = Number(process.env.BENCH_STRIPE_EMULATOR_PORT ?? 12500);
// 4,500 payments: 500 to warm up, then about ten seconds of deliveries — as long as the baseline
// runs, so a cold start or the drain at the end does not decide the number.
const eventCount = Number(process.env.BENCH_EVENTS ?? 4500);
const connections = 50;
const quantity = 2;

runScript(async () => {
  // The emulator runs in its own process (as Stripe would be elsewhere), not in this one's event
  // loop beside the load generator. It delivers nothing: this script delivers the events.
  // The app keeps its default pool (10): this benchmark measures the app as shipped.
  const app = await startBenchApp({ port, emulatorPort });
  const { baseUrl, db } = app;
  try {
    const stripe = new Stripe(benchSecrets.STRIPE_SECRET_KEY, { host: "127.0.0.1", port: emulatorPort, protocol: "http" });

    // Payments prepared as the purchase service leaves them: pending, with a paid Checkout Session.
    console.log(`[bench] preparing ${eventCount} paid sessions…`);
    const [org] = await db.insert(organizations).values({ name: "Bench Org", slug: `bench-${Date.now()}` }).returning();
    const startsAt = new Date(Date.now() + 30 * 24 * 3600_000);
    const [event] = await db
      .insert(events)
      .values({ organizationId: org!.id, slug: `bench-${Date.now()}`, title: "Bench Night", venue: "Hall", startsAt, endsAt: startsAt, timeZone: "UTC", currency: "eur", status: "published" })
      .returning();
    const [ticketType] = await db
      .insert(ticketTypes)
      .values({ eventId: event!.id, organizationId: org!.id, name: "GA", price: 2500, currency: "eur", capacity: eventCount * quantity + 10 })
      .returning();
    const [buyer] = await db.insert(users).values({ email: `bench-${Date.now()}@bench.example`, name: "Bench Buyer" }).returning();
    const payments = await db
      .insert(eventPayments)
      .values(
        Array.from({ length: eventCount }, () => ({
          organizationId: org!.id,
          eventId: event!.id,
          userId: buyer!.id,
          ticketTypeId: ticketType!.id,
          quantity,
          unitAmount: 2500,
          amountTotal: 2500 * quantity,
          currency: "eur",
          holdExpiresAt: new Date(Date.now() + 3600_000),
        })),
      )
      .returning({ id: eventPayments.id });
    const sessions: Stripe.Checkout.Session[] = new Array(payments.length);
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < payments.length) {
          const i = next++;
          const id = payments[i]!.id;
          const metadata = { payment_id: id, organization_id: org!.id, event_id: event!.id };
          const session = await stripe.checkout.sessions.create({
            mode: "payment",
            line_items: [{ price_data: { currency: "eur", unit_amount: 2500, product_data: { name: "Bench Night — GA" } }, quantity }],
            success_url: `${baseUrl}/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
            cancel_url: `${baseUrl}/`,
            expires_at: Math.floor(Date.now() / 1000) + 3600,
            client_reference_id: id,
            metadata,
            payment_intent_data: { metadata },
          });
          await db.update(eventPayments).set({ stripeCheckoutSessionId: session.id }).where(sql`${eventPayments.id} = ${id}`);
          const paid = await fetch(`${app.emulatorUrl}/_emulator/checkout/sessions/${session.id}/pay`, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ card: "4242424242424242" }),
          });
          if (!paid.ok) throw new Error(`paying ${session.id} failed: ${paid.status}`);
          sessions[i] = await stripe.checkout.sessions.retrieve(session.id);
        }
      }),
    );

    // Warm both routes first (a fresh `next start` loads and JIT-compiles each route on first use).
    const warmup = Math.min(500, Math.floor(sessions.length / 5));
    await healthBaseline(baseUrl, connections, 3);
    const baseline = await withCpu(app.pids, () => healthBaseline(baseUrl, connections));
    console.log(formatResult(baseline));

    // Signed before the clock starts, so the load generator only sends bytes (the signatures stay
    // well inside Stripe's 300 s tolerance for a run of this length).
    const deliveries = sessions.map((session, i): LoadRequest => {
      const { payload, header } = signedStripeEvent("checkout.session.completed", session, {
        id: `evt_bench_${i}_${session.id.slice(-12)}`,
        secret: benchSecrets.STRIPE_WEBHOOK_SECRET,
      });
      return { method: "POST", path: "/api/webhooks/stripe/events", headers: { "content-type": "application/json", "stripe-signature": header }, body: payload };
    });
    let sent = 0;
    const deliver = () => deliveries[sent++ % deliveries.length]!;
    await runLoad({ label: "warm-up", baseUrl, connections, amount: warmup, next: deliver });
    const result = await withCpu(app.pids, () =>
      runLoad({ label: "POST /api/webhooks/stripe/events", baseUrl, connections, amount: deliveries.length - warmup, next: deliver }),
    );
    console.log(formatResult(result));

    // places_kept: what the triggers on tickets added up under concurrent fulfilment (migration 0006),
    // next to places_counted, the tickets that hold a place; held_kept: what the triggers on payments
    // left of the holds (0007), next to held_counted, the pending payments' places — each pair must agree.
    const [check] = await db.execute<{
      payments: number;
      succeeded: number;
      exact_tickets: number;
      one_receipt: number;
      places_kept: number;
      places_counted: number;
      held_kept: number;
      held_counted: number;
    }>(sql`
      select count(*)::int as payments,
        count(*) filter (where p.status = 'succeeded')::int as succeeded,
        count(*) filter (where (select count(*) from tickets t where t.payment_id = p.id) = p.quantity)::int as exact_tickets,
        count(*) filter (where (select count(*) from event_payment_receipts r where r.payment_id = p.id) = 1)::int as one_receipt,
        (select coalesce(sum(k.taken), 0)::int from ticket_type_places k
          where k.ticket_type_id in (select id from ticket_types where event_id = ${event!.id})) as places_kept,
        (select count(*)::int from tickets t where t.event_id = ${event!.id} and not t.place_released) as places_counted,
        (select coalesce(sum(k.held), 0)::int from ticket_type_places k
          where k.ticket_type_id in (select id from ticket_types where event_id = ${event!.id})) as held_kept,
        (select coalesce(sum(h.quantity), 0)::int from event_payments h
          where h.event_id = ${event!.id} and h.status = 'pending' and not h.hold_lapsed) as held_counted
      from event_payments p where p.event_id = ${event!.id}`);
    // The machine is shared: measure the baseline again after the run and compare with the mean.
    const baselineAfter = await healthBaseline(baseUrl, connections);
    console.log(formatResult({ ...baselineAfter, label: "baseline GET /api/health (after)" }));
    const ratio = result.rps / ((baseline.rps + baselineAfter.rps) / 2);
    console.log(`\nratio to the mean baseline: ${(ratio * 100).toFixed(1)}% (target ≥ 25%)  p99 ${result.p99} ms (target < 250 ms)`);
    console.log(`  deliveries: ${formatCpu(result.cpu)}`);
    console.log(`  health (before): ${formatCpu(baseline.cpu)}`);
    console.log(`check: ${JSON.stringify(check)} — every payment ${check!.payments === check!.exact_tickets && check!.payments === check!.one_receipt ? "has exactly its tickets and one receipt" : "DOES NOT have exactly its tickets and one receipt"}; places kept ${check!.places_kept === check!.places_counted ? "equal" : "DO NOT equal"} places counted; places held kept ${check!.held_kept === check!.held_counted ? "equal" : "DO NOT equal"} places held counted`);
    console.log(`load while measuring (uptime): ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} on ${os.cpus().length} cores`);
  } finally {
    await app.stop();
  }
});
