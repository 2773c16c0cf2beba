import "server-only";
import { and, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import type { Executor } from "../client";
import { eventPaymentReceipts as receipts, eventPayments as payments, type PaymentStatus } from "../schema";

export interface ReceiptFilter {
  organizationId: string;
  /** Receipt number, buyer email or buyer name — matched as a prefix, case-insensitively. */
  search?: string;
  eventId?: string;
  status?: PaymentStatus;
  /** Issued at or after this instant. */
  from?: Date;
  /** Issued strictly before this instant. */
  before?: Date;
}

/** Position after the last row of a page: its issue time (microseconds, as text) and id. */
export interface ReceiptCursor {
  issuedAt: string;
  id: string;
}

// The same expressions as the search indexes in db/schema/receipts.ts, so the planner matches them.
const buyerEmail = sql`lower(${receipts.snapshot}->'buyer'->>'email')`;
const buyerName = sql`lower(${receipts.snapshot}->'buyer'->>'name')`;

/**
 * `expr ~>=~ p and expr ~<~ next(p)` is a prefix match that a text_pattern_ops btree answers as a
 * range scan even with a bound parameter (a `like $1 || '%'` needs the value at plan time).
 */
function prefixOf(expression: SQL | typeof receipts.receiptNumber, prefix: string): SQL {
  const last = prefix.codePointAt(prefix.length - 1)!;
  const upper = prefix.slice(0, -1) + String.fromCodePoint(last + 1);
  return sql`(${expression} ~>=~ ${prefix} and ${expression} ~<~ ${upper})`;
}

function searchCondition(search: string): SQL | undefined {
  const term = search.trim();
  if (!term) return undefined;
  const lower = term.toLowerCase();
  return or(prefixOf(receipts.receiptNumber, term.toUpperCase()), prefixOf(buyerEmail, lower), prefixOf(buyerName, lower));
}

function whereOf(filter: ReceiptFilter, cursor?: ReceiptCursor): SQL {
  return and(
    eq(receipts.organizationId, filter.organizationId),
    filter.search ? searchCondition(filter.search) : undefined,
    filter.eventId ? eq(receipts.eventId, filter.eventId) : undefined,
    filter.status ? eq(payments.status, filter.status) : undefined,
    filter.from ? gte(receipts.issuedAt, filter.from) : undefined,
    filter.before ? lt(receipts.issuedAt, filter.before) : undefined,
    cursor ? sql`(${receipts.issuedAt}, ${receipts.id}) < (${cursor.issuedAt}::timestamptz, ${cursor.id}::uuid)` : undefined,
  )!;
}

/**
 * One page of an organization's receipts, newest first, after `cursor`. Keyset pagination on
 * (issued_at, id) stays as fast on page 2,000 as on page 1; `limit + 1` rows tell whether more follow.
 */
export async function listReceiptsPage(db: Executor, filter: ReceiptFilter, limit: number, cursor?: ReceiptCursor) {
  return db
    .select({
      id: receipts.id,
      paymentId: receipts.paymentId,
      receiptNumber: receipts.receiptNumber,
      issuedAt: receipts.issuedAt,
      // Postgres keeps microseconds; a JS Date would round them away and break the cursor.
      cursorIssuedAt: sql<string>`to_char(${receipts.issuedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
      snapshot: receipts.snapshot,
      status: payments.status,
      amountTotal: payments.amountTotal,
      amountRefunded: payments.amountRefunded,
      currency: payments.currency,
      disputedAt: payments.disputedAt,
    })
    .from(receipts)
    .innerJoin(payments, and(eq(payments.id, receipts.paymentId), eq(payments.organizationId, receipts.organizationId)))
    .where(whereOf(filter, cursor))
    .orderBy(desc(receipts.issuedAt), desc(receipts.id))
    .limit(limit);
}

export type ReceiptListRow = Awaited<ReturnType<typeof listReceiptsPage>>[number];
