// npm run bench:webhooks — signed checkout.session.completed events at 50 concurrent deliveries
// against the built app on Postgres + the Stripe emulator, next to the health route's baseline.
import { execSync, spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import Stripe from "stripe";
import * as schema from "@/db/schema";
import { eventPayments, events, organizations, ticketTypes, users } from "@/db/schema";
import { createFreshDatabase } from "@/tests/setup/test-database";
import { buildIsCurrent, recordBuild, sourceStamp } from "../lib/build-stamp";
import { runScript } from "../lib/run-script";

const port = Number(process.env.BENCH_PORT ?? 3500);
const emulatorPort = Number(process.env.BENCH_STRIPE_EMULATOR_PORT ?? 12500);
const eventCount = Number(process.env.BENCH_EVENTS ?? 2000);
const connections = 50;
const quantity = 2;
// Clearly not secrets: a throw-away database and a local emulator for one run.
const secrets = {
  STRIPE_SECRET_KEY: "sk_test_bench_webhooks",
  STRIPE_WEBHOOK_SECRET: "whsec_bench_webhooks_not_a_secret",
  AUTH_SECRET: "bench-only-auth-secret-not-for-production-0000",
};
const nextBin = path.join(process.cwd(), "node_modules", "next", "dist", "bin", "next");

interface Histogram { p50: number; p99: number; max: number }
interface CannonResult { latency: Histogram; duration: number; errors: number; timeouts: number; statusCodeStats: Record<string, { count: number }> }
interface CannonRequest { method?: string; path?: string; headers?: Record<string, string>; body?: string }
type Autocannon = (options: {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  timeout?: number;
  requests?: { setupRequest?: (request: CannonRequest) => CannonRequest }[];
}) => Promise<CannonResult>;
// autocannon ships no types; the slice used here is typed above.
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

function summarize(label: string, r: CannonResult) {
  const statuses = Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count]));
  const total = Object.values(statuses).reduce((a, b) => a + b, 0);
  const rps = total / r.duration;
  console.log(
    `${label.padEnd(34)} ${rps.toFixed(0).padStart(6)} req/s  p50 ${String(r.latency.p50).padStart(4)} ms  p99 ${String(r.latency.p99).padStart(4)} ms  max ${String(r.latency.max).padStart(5)} ms  ${JSON.stringify(statuses)}${r.errors ? ` errors ${r.errors}` : ""}`,
  );
  return { rps, p99: r.latency.p99, statuses };
}

async function waitForHealth(url: string, child: ChildProcess) {
  const healthUrl = url.endsWith("/_emulator") ? `${url}/health` : `${url}/api/health`;
  for (let i = 0; i < 480; i++) {
    if (child.exitCode !== null) throw new Error(`${url} exited with ${child.exitCode}`);
    try {
      if ((await fetch(healthUrl)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("the app did not become healthy");
}

runScript(async () => {
  const database = await createFreshDatabase(process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres", "boxoffice_bench");
  const client = postgres(database.url, { max: 8, onnotice: () => {} });
  const db = drizzle(client, { schema });
  // The emulator runs in its own process (as Stripe would be elsewhere), not in this one's event
  // loop beside the load generator. It delivers nothing: this script delivers the events.
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const emulatorProcess = spawn(
    process.execPath,
    [
      path.join(process.cwd(), "node_modules", "tsx", "dist", "cli.mjs"),
      "--conditions=react-server",
      "scripts/bench/lib/emulator-main.ts",
      String(emulatorPort),
      secrets.STRIPE_WEBHOOK_SECRET,
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const emulator = { url: emulatorUrl, close: async () => void emulatorProcess.kill("SIGTERM") };
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...secrets,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    BOXOFFICE_EMBEDDED: "1",
    BOXOFFICE_DATA_DIR: `.data/bench-${port}`,
    DATABASE_URL: database.url,
    STRIPE_API_URL: emulator.url,
    APP_URL: baseUrl,
    PORT: String(port),
    RATE_LIMITS: "off",
  };
  const stamp = sourceStamp();
  if (!buildIsCurrent(stamp)) {
    console.log("[bench] building the app…");
    execSync(`${JSON.stringify(process.execPath)} ${JSON.stringify(nextBin)} build`, { stdio: "inherit", env });
    recordBuild(stamp);
  }
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the app under load.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const app = spawn(process.execPath, [...nodeArgs, nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], { env, stdio: ["ignore", "ignore", "inherit"] });
  try {
    await waitForHealth(baseUrl, app);
    await waitForHealth(`${emulatorUrl}/_emulator`, emulatorProcess);
    const stripe = new Stripe(secrets.STRIPE_SECRET_KEY, { host: "127.0.0.1", port: emulatorPort, protocol: "http" });

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
          const paid = await fetch(`${emulator.url}/_emulator/checkout/sessions/${session.id}/pay`, {
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
    const warmup = Math.min(200, Math.floor(sessions.length / 5));
    await autocannon({ url: baseUrl, connections, duration: 3, requests: [{ setupRequest: (r) => ({ ...r, method: "GET", path: "/api/health" }) }] });
    const baseline = summarize(
      "baseline GET /api/health",
      await autocannon({ url: baseUrl, connections, duration: 10, requests: [{ setupRequest: (r) => ({ ...r, method: "GET", path: "/api/health" }) }] }),
    );

    // Signed before the clock starts, so the load generator only sends bytes (the signatures stay
    // well inside Stripe's 300 s tolerance for a run of this length).
    const deliveries = sessions.map((session, i) => {
      const payload = JSON.stringify({
        id: `evt_bench_${i}_${session.id.slice(-12)}`,
        object: "event",
        api_version: "2026-10-28.endive",
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type: "checkout.session.completed",
        data: { object: session },
      });
      const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: secrets.STRIPE_WEBHOOK_SECRET });
      return { method: "POST", path: "/api/webhooks/stripe/events", headers: { "content-type": "application/json", "stripe-signature": signature }, body: payload };
    });
    let sent = 0;
    await autocannon({
      url: baseUrl,
      connections,
      amount: warmup,
      timeout: 30,
      requests: [{ setupRequest: (r) => ({ ...r, ...deliveries[sent++]! }) }],
    });
    const result = summarize(
      "POST /api/webhooks/stripe/events",
      await autocannon({
        url: baseUrl,
        connections,
        amount: deliveries.length - warmup,
        timeout: 30,
        requests: [{ setupRequest: (r) => ({ ...r, ...deliveries[sent++ % deliveries.length]! }) }],
      }),
    );

    const [check] = await client<{ payments: number; succeeded: number; exact_tickets: number; one_receipt: number }[]>`
      select count(*)::int as payments,
        count(*) filter (where p.status = 'succeeded')::int as succeeded,
        count(*) filter (where (select count(*) from tickets t where t.payment_id = p.id) = p.quantity)::int as exact_tickets,
        count(*) filter (where (select count(*) from event_payment_receipts r where r.payment_id = p.id) = 1)::int as one_receipt
      from event_payments p where p.event_id = ${event!.id}`;
    // The machine is shared: measure the baseline again after the run and compare with the mean.
    const baselineAfter = summarize(
      "baseline GET /api/health (after)",
      await autocannon({ url: baseUrl, connections, duration: 10, requests: [{ setupRequest: (r) => ({ ...r, method: "GET", path: "/api/health" }) }] }),
    );
    const ratio = result.rps / ((baseline.rps + baselineAfter.rps) / 2);
    console.log(`\nratio to the mean baseline: ${(ratio * 100).toFixed(1)}% (target ≥ 25%)  p99 ${result.p99} ms (target < 250 ms)`);
    console.log(`check: ${JSON.stringify(check)} — every payment ${check!.payments === check!.exact_tickets && check!.payments === check!.one_receipt ? "has exactly its tickets and one receipt" : "DOES NOT have exactly its tickets and one receipt"}`);
    console.log(`load while measuring (uptime): ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} on ${os.cpus().length} cores`);
  } finally {
    if (app.exitCode === null) {
      app.kill("SIGTERM");
      await new Promise((r) => app.once("exit", r));
    }
    await emulator.close();
    await client.end({ timeout: 5 });
    await database.drop();
  }
});
