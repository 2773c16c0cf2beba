import "server-only";
import type { Executor } from "../client";
import { runStatement } from "../raw";

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

const placeHoldStatement = `select * from place_hold($1::uuid, $2::uuid, $3::text, $4::text, $5::int, $6::text,
  $7::timestamptz, $8::timestamptz, $9::int, $10::boolean)`;

/** The function's parameters for one request; `insert` false only looks, without the lock. */
function paramsOf(r: HoldRequest, insert: boolean): unknown[] {
  return [
    r.eventId,
    r.ticketTypeId ?? null,
    r.ticketTypeId === undefined ? (r.ticketTypeName ?? "") : null,
    r.userId,
    r.quantity,
    r.requestKey,
    r.now.toISOString(),
    r.holdExpiresAt.toISOString(),
    r.maxOpenCheckouts,
    insert,
  ];
}

/**
 * Places a hold with one statement, `place_hold` (migrations 0004, 0006, 0007, 0008, 0009): it locks
 * the ticket type row, counts what is left with a snapshot taken after the lock, and inserts the
 * pending payment only if every rule holds. The payment's id is drawn there so that its first 8
 * characters — the receipt number's last part — are no other payment's (0009: the insert skips a
 * taken prefix with ON CONFLICT and the function draws again within the call; no error, no
 * subtransaction). One message to the server and one implicit transaction, so the row lock is
 * held only while the server runs it — never across a round trip to this process, whose event loop
 * may be busy with hundreds of other requests. That is what lets a flash sale move quickly; and
 * the pool's connections pipeline holds of different requests without anything else to arrange.
 *
 * The hold commits without waiting for its WAL flush (the function sets that for its own
 * transaction): that wait, repeated per buyer of one ticket type while the lock is held, was the
 * ceiling of a flash sale. It becomes durable with the next synchronous commit on the server, at
 * the latest the one that stores the Checkout Session on the payment (or marks it failed) before
 * the buyer is answered: a synchronous commit flushes the WAL up to its own record, which lies
 * after the hold's. A crash before that loses only a hold whose buyer was never answered, and
 * frees its places; it cannot oversell.
 */
export async function placeHold(db: Executor, request: HoldRequest): Promise<HoldOutcome> {
  const target = targetKey(request);
  if (recentlyRefused(target, request.now)) {
    // Once a ticket type has refused holds, first look without any lock: the crowd that keeps
    // arriving after a sell-out is answered from a snapshot instead of queueing one by one on the
    // row lock. Only a request that could succeed goes on to take it.
    const preview = toOutcome((await runStatement(db, placeHoldStatement, paramsOf(request, false)))[0] ?? {});
    if (!preview.canHold) return preview;
  }
  const outcome = toOutcome((await runStatement(db, placeHoldStatement, paramsOf(request, true)))[0] ?? {});
  if (outcome.ticketType && outcome.ticketType.available < request.quantity) noteRefusal(target, request.now);
  return outcome;
}

type Row = Record<string, unknown>;

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
