// npm run bench:receipts — the organizer's receipts page, search, overview and CSV export at 10,000
// and 100,000 receipts. Prints numbers (no pass/fail). Uses a throw-away database: a fresh one on the
// Postgres server in DATABASE_URL, or an in-memory PGlite when it is unset.
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { createFreshDatabase } from "@/tests/setup/test-database";
import { runScript } from "../lib/run-script";

const sizes = (process.env.BENCH_SIZES ?? "10000,100000").split(",").map(Number);
const repeats = 5;

runScript(async () => {
  const server = process.env.DATABASE_URL;
  const scratch = server?.startsWith("postgres") ? await createFreshDatabase(server, "boxoffice_bench") : undefined;
  process.env.DATABASE_URL = scratch?.url ?? "pglite:memory";
  process.env.BOXOFFICE_DATA_DIR ??= ".data/bench";
  // Imported after the environment is set: the env module reads it once.
  const { getDb, closeDb } = await import("@/db/client");
  const { migrateDatabase } = await import("@/db/migrate");
  const { listReceipts, toReceiptFilter, encodeCursor } = await import("@/lib/organizer/receipts");
  const { streamReceiptsCsv } = await import("@/lib/organizer/receipts-csv");
  const { getOrganizerOverview } = await import("@/lib/organizer/overview");
  const { receiptQuerySchema } = await import("@/lib/organizer/receipt-query");

  const db = await getDb();
  if (!scratch) await migrateDatabase(db);
  const rows = async (query: ReturnType<typeof sql>) => {
    const result = (await db.execute(query)) as unknown;
    return (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows) as Record<string, unknown>[];
  };

  const org = await createOrganization(rows);
  console.log(`database: ${scratch ? "Postgres (fresh database)" : "PGlite in memory"}`);
  let generated = 0;
  try {
    for (const size of sizes) {
      const started = performance.now();
      await generateReceipts(rows, org, generated + 1, size);
      generated = size;
      await rows(sql`analyze`);
      console.log(`\n== ${size.toLocaleString("en-US")} receipts (generated in ${((performance.now() - started) / 1000).toFixed(1)} s)`);

      const q = (input: Record<string, string>) => receiptQuerySchema.parse(input);
      const first = await listReceipts(org.id, q({}));
      const [middle] = await rows(sql`select id, to_char(issued_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as ts
        from event_payment_receipts where organization_id = ${org.id} order by issued_at desc, id desc offset ${Math.floor(size / 2)} limit 1`);
      const middleCursor = encodeCursor({ id: String(middle!.id), cursorIssuedAt: String(middle!.ts) });
      const sample = first.rows[7]!;
      const cases: [string, () => Promise<unknown>][] = [
        ["first page (50 newest)", () => listReceipts(org.id, q({}))],
        ["next page (cursor)", () => listReceipts(org.id, q({ cursor: first.nextCursor! }))],
        ["page in the middle (cursor)", () => listReceipts(org.id, q({ cursor: middleCursor }))],
        ["search: exact receipt number", () => listReceipts(org.id, q({ q: sample.receiptNumber }))],
        ["search: receipt number prefix", () => listReceipts(org.id, q({ q: sample.receiptNumber.slice(0, 12) }))],
        ["search: buyer email", () => listReceipts(org.id, q({ q: sample.snapshot.buyer.email }))],
        ["search: buyer name prefix", () => listReceipts(org.id, q({ q: "grace" }))],
        ["filter: event", () => listReceipts(org.id, q({ event: org.eventIds[1]! }))],
        ["filter: status refunded", () => listReceipts(org.id, q({ status: "refunded" }))],
        ["filter: one week", () => listReceipts(org.id, q({ from: "2026-01-10", to: "2026-01-16" }))],
        ["overview (per event + latest)", () => getOrganizerOverview(org.id)],
      ];
      for (const [name, run] of cases) console.log(`${name.padEnd(34)} ${await time(run)}`);

      const csvStart = performance.now();
      const text = await new Response(streamReceiptsCsv(toReceiptFilter(org.id, q({})))).text();
      const lines = text.split("\r\n").length - 2;
      const seconds = (performance.now() - csvStart) / 1000;
      console.log(`${"CSV export (all)".padEnd(34)} ${seconds.toFixed(2)} s for ${lines.toLocaleString("en-US")} rows (${Math.round(lines / seconds).toLocaleString("en-US")} rows/s, ${(text.length / 1e6).toFixed(1)} MB)`);

      const plan = await rows(sql`explain select id from event_payment_receipts
        where organization_id = ${org.id} and lower(snapshot->'buyer'->>'email') ~>=~ ${"grace"} and lower(snapshot->'buyer'->>'email') ~<~ ${"gracf"}`);
      console.log(`plan of an email prefix search: ${String(Object.values(plan[0]!)[0]).trim()}`);
    }
  } finally {
    await closeDb();
    await scratch?.drop();
  }
});

/** Median and first-run milliseconds of a query. */
async function time(run: () => Promise<unknown>): Promise<string> {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(repeats / 2)]!.toFixed(1).padStart(7)} ms   first ${samples[0]!.toFixed(1).padStart(7)} ms`;
}

type Rows = (query: ReturnType<typeof sql>) => Promise<Record<string, unknown>[]>;

async function createOrganization(rows: Rows) {
  const [org] = await rows(sql`insert into organizations (name, slug) values ('Bench Live', 'bench-live-' || substr(md5(random()::text), 1, 6)) returning id`);
  const id = String(org!.id);
  const eventIds: string[] = [];
  for (const [i, currency, price] of [[0, "usd", 4500], [1, "eur", 5900], [2, "jpy", 8000]] as const) {
    const [event] = await rows(sql`insert into events (organization_id, slug, title, venue, starts_at, ends_at, time_zone, currency, status)
      values (${id}, ${`bench-${id.slice(0, 8)}-${i}`}, ${`Bench Event ${i}`}, 'Hall', now() + interval '30 days', now() + interval '31 days', 'UTC', ${currency}, 'published')
      returning id`);
    await rows(sql`insert into ticket_types (event_id, organization_id, name, price, currency, capacity)
      values (${String(event!.id)}, ${id}, 'General', ${price}, ${currency}, 1000000)`);
    eventIds.push(String(event!.id));
  }
  await rows(sql`insert into users (id, email, name)
    select 'bench-user-' || g, 'buyer' || g || '@bench.example', (array['Ada','Grace','Alan','Edsger','Barbara'])[1 + g % 5] || ' Buyer' || g
    from generate_series(1, 2000) g on conflict do nothing`);
  return { id, eventIds };
}

/** Payments numbered from..to: paid, one minute apart, a tenth partially refunded, a twentieth refunded; their tickets and receipts. */
async function generateReceipts(rows: Rows, org: { id: string }, from: number, to: number) {
  for (let start = from; start <= to; start += 20_000) {
    const end = Math.min(to, start + 19_999);
    await rows(sql`insert into event_payments (organization_id, event_id, user_id, ticket_type_id, quantity, unit_amount, amount_total,
        amount_refunded, currency, status, stripe_checkout_session_id, stripe_payment_intent_id, hold_expires_at, paid_at, created_at)
      select ${org.id}, t.event_id, 'bench-user-' || (1 + g % 2000), t.id, x.q, t.price, t.price * x.q,
        case when g % 20 = 0 then t.price * x.q when g % 10 = 0 then t.price / 2 else 0 end, t.currency,
        (case when g % 20 = 0 then 'refunded' when g % 10 = 0 then 'partially_refunded' else 'succeeded' end)::payment_status,
        'cs_bench_' || g || '_' || ${org.id}, 'pi_bench_' || g || '_' || ${org.id}, x.ts + interval '35 minutes', x.ts, x.ts
      from generate_series(${start}::int, ${end}::int) g
      cross join lateral (select 1 + g % 3 as q, timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute' as ts) x
      join (select tt.*, row_number() over (order by tt.currency) - 1 as k from ticket_types tt where tt.organization_id = ${org.id}) t on t.k = g % 3`);
  }
  await rows(sql`insert into tickets (payment_id, event_id, ticket_type_id, organization_id, owner_user_id, code, issued_at)
    select p.id, p.event_id, p.ticket_type_id, p.organization_id, p.user_id, md5(p.id::text || n), p.paid_at
    from event_payments p cross join lateral generate_series(1, p.quantity) n
    where p.organization_id = ${org.id} and not exists (select 1 from tickets t where t.payment_id = p.id)`);
  await rows(sql`insert into event_payment_receipts (payment_id, organization_id, event_id, user_id, receipt_number, snapshot, issued_at)
    select p.id, p.organization_id, p.event_id, p.user_id, r.number,
      jsonb_build_object('receiptNumber', r.number, 'paymentId', p.id,
        'organization', jsonb_build_object('id', p.organization_id, 'name', 'Bench Live'),
        'event', jsonb_build_object('id', e.id, 'title', e.title, 'startsAt', e.starts_at, 'venue', e.venue, 'timeZone', e.time_zone),
        'buyer', jsonb_build_object('id', u.id, 'email', u.email, 'name', u.name),
        'items', jsonb_build_array(jsonb_build_object('ticketType', tt.name, 'ticketTypeId', tt.id, 'quantity', p.quantity, 'unitAmount', p.unit_amount, 'amount', p.amount_total)),
        'amountTotal', p.amount_total, 'currency', p.currency, 'paymentMethod', null,
        'stripe', jsonb_build_object('checkoutSessionId', p.stripe_checkout_session_id, 'paymentIntentId', p.stripe_payment_intent_id),
        'paidAt', p.paid_at),
      p.paid_at
    from event_payments p
    join events e on e.id = p.event_id
    join users u on u.id = p.user_id
    join ticket_types tt on tt.id = p.ticket_type_id
    cross join lateral (select 'RCP-' || to_char(p.paid_at at time zone 'UTC', 'YYYY-MMDD') || '-' || upper(substr(p.id::text, 1, 8)) as number) r
    where p.organization_id = ${org.id} and not exists (select 1 from event_payment_receipts x where x.payment_id = p.id)
    on conflict do nothing`);
}
