import "server-only";
import { fillPlaceholders, sql, type Query, type SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type postgres from "postgres";
import type { Database } from "../client";
import { runStatement } from "../raw";
import { perTurnBatches, type Waiting } from "../turn-batch";
import { availableExpression } from "./availability";

export interface HoldRequest {
  eventId: string;
  /** Exactly one of the two: the ticket type's id, or its name (matched case-insensitively). */
  ticketTypeId?: string;
  ticketTypeName?: string;
  userId: string;
  quantity: number;
  requestKey: string | null;
  now: Date;
  holdExpiresAt: Date;
  /** A buyer may hold this many open checkouts per event (delayed-method payments excepted). */
  maxOpenCheckouts: number;
}

/** Everything the service needs to decide what happened, read in the same statement as the insert. */
export interface HoldOutcome {
  eventFound: boolean;
  eventStatus: string | null;
  eventEndsAt: Date | null;
  eventTitle: string | null;
  ticketType: {
    id: string;
    organizationId: string;
    name: string;
    price: number;
    currency: string;
    maxPerOrder: number;
    salesStartAt: Date | null;
    salesEndAt: Date | null;
    available: number;
  } | null;
  openCheckouts: number;
  resumeUrl: string | null;
  /** Every rule allowed a hold (in the statement's snapshot). */
  canHold: boolean;
  /** The payment this request created, when the hold was placed. */
  created: { id: string; createdAt: Date } | null;
  /** A payment made earlier with the same request key. */
  existing: { id: string; ticketTypeId: string; quantity: number } | null;
}

type MatchBy = "id" | "name";

// Every value is a placeholder: each statement is compiled once (per way of naming the ticket type)
// and only its parameters change per request — building it with the query builder on every
// purchase cost more CPU than Postgres spends running it.
const p = {
  eventId: sql.placeholder("eventId"),
  ticketType: sql.placeholder("ticketType"),
  userId: sql.placeholder("userId"),
  quantity: sql.placeholder("quantity"),
  requestKey: sql.placeholder("requestKey"),
  now: sql.placeholder("now"),
  holdExpiresAt: sql.placeholder("holdExpiresAt"),
  maxOpenCheckouts: sql.placeholder("maxOpenCheckouts"),
  insert: sql.placeholder("insert"),
};

function matchTicketType(by: MatchBy): SQL {
  return by === "id"
    ? sql`"ticket_types"."id" = ${p.ticketType}::uuid`
    : sql`lower("ticket_types"."name") = lower(${p.ticketType}::text)`;
}

// Taken first, before anything reads payments: fulfilment locks in the same order (ticket type,
// then payment), so the two can never deadlock. NO KEY UPDATE, like every ticket type lock: the
// lockers exclude each other, while inserts that merely reference the type (a paid payment's
// tickets, whose foreign key takes KEY SHARE) never wait behind a queue of buyers.
function lockStatement(by: MatchBy): SQL {
  return sql`select 1 from "ticket_types" where "ticket_types"."event_id" = ${p.eventId}::uuid and ${matchTicketType(by)} for no key update`;
}

/**
 * Counts what is left and inserts the pending payment only if every rule holds — in one statement,
 * run after the lock above so its snapshot sees every hold committed before ours (under READ
 * COMMITTED each statement takes a fresh snapshot; a count in the locking statement itself would not).
 * With `insert` false it only looks: the same text (one prepared statement) as the lock-free preview.
 */
function holdStatement(by: MatchBy): SQL {
  const now = sql`${p.now}::timestamptz`;
  const quantity = sql`${p.quantity}::int`;
  return sql`
    with ev as (
      select "id", "status"::text as status, "ends_at", "title" from "events" where "id" = ${p.eventId}::uuid
    ), tt as (
      select "ticket_types"."id", "ticket_types"."organization_id", "ticket_types"."name", "ticket_types"."price",
             "ticket_types"."currency", "ticket_types"."max_per_order", "ticket_types"."sales_start_at",
             "ticket_types"."sales_end_at", ${availableExpression(now)} as available
      from "ticket_types"
      where "ticket_types"."event_id" = ${p.eventId}::uuid and ${matchTicketType(by)}
    ), mine as (
      select count(*)::int as open_checkouts,
             (array_agg("stripe_checkout_url" order by "created_at" desc)
               filter (where "stripe_checkout_url" is not null))[1] as resume_url
      from "event_payments"
      where "user_id" = ${p.userId} and "event_id" = ${p.eventId}::uuid and "status" = 'pending'
        and "hold_expires_at" > ${now} and "processing_at" is null
    ), existing as (
      select "id", "ticket_type_id", "quantity" from "event_payments"
      -- Without a key there is nothing to find: the one-time filter skips the scan of the buyer's payments.
      where ${p.requestKey}::text is not null and "user_id" = ${p.userId} and "request_key" = ${p.requestKey}::text
    ), decision as (
      select (ev.status = 'published' and ev.ends_at > ${now}
        and ${quantity} between 1 and tt.max_per_order
        and (tt.sales_start_at is null or tt.sales_start_at <= ${now})
        and (tt.sales_end_at is null or tt.sales_end_at > ${now})
        and tt.available >= ${quantity}
        and mine.open_checkouts < ${p.maxOpenCheckouts}::int
        and not exists (select 1 from existing)) as can_hold
      from ev, tt, mine
    ), ins as (
      insert into "event_payments" ("organization_id", "event_id", "user_id", "ticket_type_id", "quantity",
        "unit_amount", "amount_total", "currency", "request_key", "hold_expires_at", "created_at", "updated_at")
      select tt.organization_id, ev.id, ${p.userId}, tt.id, ${quantity}, tt.price, tt.price * ${quantity},
             tt.currency, ${p.requestKey}::text, ${p.holdExpiresAt}::timestamptz, ${now}, ${now}
      from ev, tt, decision
      where decision.can_hold and ${p.insert}::boolean
      returning "id", "created_at"
    )
    select ev.id is not null as "eventFound", ev.status as "eventStatus", ev.ends_at as "eventEndsAt",
           ev.title as "eventTitle",
           tt.id as "ticketTypeId", tt.organization_id as "organizationId", tt.name as "ticketTypeName",
           tt.price as "price", tt.currency as "currency", tt.max_per_order as "maxPerOrder",
           tt.sales_start_at as "salesStartAt", tt.sales_end_at as "salesEndAt", tt.available as "available",
           mine.open_checkouts as "openCheckouts", mine.resume_url as "resumeUrl", decision.can_hold as "canHold",
           ins.id as "createdId", ins.created_at as "createdAt",
           existing.id as "existingId", existing.ticket_type_id as "existingTicketTypeId",
           existing.quantity as "existingQuantity"
    from (select 1) as base
    left join ev on true left join tt on true left join mine on true left join decision on true left join ins on true left join existing on true`;
}

type Row = Record<string, unknown>;

const compiled = new Map<MatchBy, { lock: Query; hold: Query }>();

function statementsFor(by: MatchBy) {
  let statements = compiled.get(by);
  if (!statements) {
    const dialect = new PgDialect();
    statements = { lock: dialect.sqlToQuery(lockStatement(by)), hold: dialect.sqlToQuery(holdStatement(by)) };
    compiled.set(by, statements);
  }
  return statements;
}

/** The parameters of the compiled statements for one request; `insert` false only looks. */
function valuesOf(r: HoldRequest, insert: boolean): Record<keyof typeof p, unknown> {
  return {
    eventId: r.eventId,
    ticketType: r.ticketTypeId ?? r.ticketTypeName ?? "",
    userId: r.userId,
    quantity: r.quantity,
    requestKey: r.requestKey,
    now: r.now.toISOString(),
    holdExpiresAt: r.holdExpiresAt.toISOString(),
    maxOpenCheckouts: r.maxOpenCheckouts,
    insert,
  };
}

/**
 * Places a hold: lock the ticket type row, then count and insert in one statement, then commit.
 * On Postgres the four statements are pipelined on one reserved connection (with the other holds
 * asked for in the same event-loop turn, see inPipeline), so the row lock is held only while the
 * server executes them — never across a round trip to this process, whose event loop may be busy
 * with hundreds of other requests. That is what lets a flash sale move quickly.
 *
 * The hold commits without waiting for its WAL flush (see below). It becomes durable with the next
 * synchronous commit on the server, at the latest the one that stores the Checkout Session on the
 * payment (or marks it failed) before the buyer is answered: a synchronous commit flushes the WAL
 * up to its own record, which lies after the hold's. A crash before that loses only a hold whose
 * buyer was never answered, and frees its places; it cannot oversell.
 */
export async function placeHold(db: Database, request: HoldRequest): Promise<HoldOutcome> {
  const statements = statementsFor(request.ticketTypeId !== undefined ? "id" : "name");
  const values = valuesOf(request, true);
  const lock = { sql: statements.lock.sql, params: fillPlaceholders(statements.lock.params, values) };
  const hold = { sql: statements.hold.sql, params: fillPlaceholders(statements.hold.params, values) };
  const client = (db as unknown as { $client: postgres.Sql | { reserve?: undefined } }).$client;
  if (typeof client.reserve !== "function") {
    // PGlite (the embedded default) runs one transaction at a time; an ordinary transaction suffices.
    return toOutcome(
      await db.transaction(async (tx) => {
        await runStatement(tx, lock.sql, lock.params);
        return (await runStatement(tx, hold.sql, hold.params))[0] ?? {};
      }),
    );
  }
  const target = targetKey(request);
  if (recentlyRefused(target, request.now)) {
    // Once a ticket type has refused holds, first look without any lock: the crowd that keeps
    // arriving after a sell-out is answered from a snapshot instead of queueing one by one on the
    // row lock. Only a request that could succeed goes on to take it.
    const look = fillPlaceholders(statements.hold.params, { ...values, insert: false });
    const preview = toOutcome((await runStatement(db, statements.hold.sql, look))[0] ?? {});
    if (!preview.canHold) return preview;
  }

  const row = await inPipeline(client as postgres.Sql, { lock, hold });
  const outcome = toOutcome(row);
  if (outcome.ticketType && outcome.ticketType.available < request.quantity) noteRefusal(target, request.now);
  return outcome;
}

/**
 * Runs one hold's transaction — begin, lock, count-and-insert, commit — pipelined on a reserved
 * connection. Holds requested in the same event-loop turn share the connection and its writes:
 * their transactions run one after another on it (each still its own transaction, committed
 * before the next begins), at the cost of one reserve and one round trip for all of them. At most
 * 8 share one: a pipeline runs on one backend, so a long one would queue buyers behind each other
 * and leave the other core idle (uncapped, p99 at 200 buyers rose to 5–6.5 s).
 */
const inPipeline = perTurnBatches<postgres.Sql, { lock: Query; hold: Query }, Row>((client, holds) => void runHolds(client, holds), 8);

async function runHolds(client: postgres.Sql, holds: Waiting<{ lock: Query; hold: Query }, Row>[]) {
  let connection: postgres.ReservedSql;
  try {
    connection = await client.reserve();
  } catch (error) {
    for (const h of holds) h.reject(error);
    return;
  }
  try {
    await Promise.all(
      holds.map(async ({ item: { lock, hold }, resolve, reject }) => {
        const results = await Promise.allSettled([
          // Committed without waiting for the WAL flush, so the row lock is released at once instead of
          // after a disk sync (~10 ms here): that wait, repeated per buyer of one ticket type, was the
          // ceiling of a flash sale.
          connection.unsafe("begin; set local synchronous_commit to off"),
          connection.unsafe(lock.sql, lock.params as Param[], prepared),
          connection.unsafe(hold.sql, hold.params as Param[], prepared),
          connection.unsafe("commit"),
        ]);
        const failure = results.find((r) => r.status === "rejected");
        if (failure) reject(failure.reason);
        else resolve((results[2] as PromiseFulfilledResult<Row[]>).value[0] ?? {});
      }),
    );
  } finally {
    connection.release();
  }
}

/**
 * Ticket types that recently had too few places, per process: only a hint for choosing the path
 * above (a stale entry costs one lock-free look), never an answer by itself.
 */
const refusedUntil = new Map<string, number>();
const refusalMemoryMs = 2_000;
const maxRemembered = 10_000;

function targetKey(r: HoldRequest): string {
  return r.ticketTypeId !== undefined ? r.ticketTypeId : `${r.eventId}/${(r.ticketTypeName ?? "").toLowerCase()}`;
}

function recentlyRefused(target: string, now: Date): boolean {
  const until = refusedUntil.get(target);
  if (until === undefined) return false;
  if (until > now.getTime()) return true;
  refusedUntil.delete(target);
  return false;
}

function noteRefusal(target: string, now: Date) {
  if (refusedUntil.size >= maxRemembered) refusedUntil.clear();
  refusedUntil.set(target, now.getTime() + refusalMemoryMs);
}

type Param = postgres.ParameterOrJSON<never>;
// Prepared once per connection. A reserved connection is postgres.js's own, not the client that
// db/client.ts makes prepare everything, and an unprepared query with parameters is described
// first: a round trip that would stall the pipeline with the row lock held.
const prepared = { prepare: true };

const date = (v: unknown) => (v == null ? null : v instanceof Date ? v : new Date(String(v)));

function toOutcome(r: Row): HoldOutcome {
  return {
    eventFound: r.eventFound === true,
    eventStatus: (r.eventStatus as string | null) ?? null,
    eventEndsAt: date(r.eventEndsAt),
    eventTitle: (r.eventTitle as string | null) ?? null,
    ticketType:
      r.ticketTypeId == null
        ? null
        : {
            id: String(r.ticketTypeId),
            organizationId: String(r.organizationId),
            name: String(r.ticketTypeName),
            price: Number(r.price),
            currency: String(r.currency),
            maxPerOrder: Number(r.maxPerOrder),
            salesStartAt: date(r.salesStartAt),
            salesEndAt: date(r.salesEndAt),
            available: Math.max(0, Number(r.available)),
          },
    openCheckouts: Number(r.openCheckouts ?? 0),
    canHold: r.canHold === true,
    resumeUrl: (r.resumeUrl as string | null) ?? null,
    created: r.createdId == null ? null : { id: String(r.createdId), createdAt: date(r.createdAt)! },
    existing:
      r.existingId == null
        ? null
        : { id: String(r.existingId), ticketTypeId: String(r.existingTicketTypeId), quantity: Number(r.existingQuantity) },
  };
}
