import { randomBytes } from "node:crypto";
import type Stripe from "stripe";

/**
 * All emulator state, in memory. Objects are stored in their Stripe shape with related objects as
 * ids (as Stripe returns them unexpanded); `expand[]` resolves ids on the way out. Everything here
 * is plain data so the state file is a JSON dump of this object.
 */
export interface SessionRecord {
  session: Stripe.Checkout.Session;
  lineItems: Stripe.LineItem[];
  /** `payment_intent_data` from creation: copied onto the PaymentIntent when the buyer pays. */
  paymentIntentData: { metadata: Record<string, string>; description: string | null };
}

/** A bank debit that settles (or fails) when the emulator clock reaches `dueAt` (ms). */
export interface PendingSettlement {
  paymentIntentId: string;
  dueAt: number;
  succeeds: boolean;
}

/** A refund that changes state when the clock reaches `dueAt` (bank debits refund slowly). */
export interface PendingRefund {
  refundId: string;
  dueAt: number;
  outcome: "succeeded" | "failed";
}

export interface StoredResponse {
  /** `canonicalParams` of the request's parameters, as state files hold them. */
  params?: string;
  /** Responses remembered in this run hold the request body instead (see `rememberResponse`). */
  requestBody?: string;
  /** Whether `requestBody` was parsed as JSON rather than as a form. */
  requestJson?: boolean;
  method: string;
  path: string;
  status: number;
  /** The response as sent. */
  text?: string;
  /** Older state files: the response object. */
  body?: unknown;
}

export interface Store {
  clockOffsetMs: number;
  sessions: Record<string, SessionRecord>;
  paymentIntents: Record<string, Stripe.PaymentIntent>;
  charges: Record<string, Stripe.Charge>;
  refunds: Record<string, Stripe.Refund>;
  disputes: Record<string, Stripe.Dispute>;
  /** Oldest first; lists answer newest first, like Stripe. */
  events: Stripe.Event[];
  settlements: PendingSettlement[];
  pendingRefunds: PendingRefund[];
  /** Charges paid with the "refunds fail" test card: each refund of them fails later. */
  failingRefundCharges: string[];
  idempotency: Record<string, StoredResponse>;
}

export function emptyStore(): Store {
  return {
    clockOffsetMs: 0,
    sessions: {},
    paymentIntents: {},
    charges: {},
    refunds: {},
    disputes: {},
    events: [],
    settlements: [],
    pendingRefunds: [],
    failingRefundCharges: [],
    idempotency: {},
  };
}

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Splits a clock-driven queue into the items whose time has come and the ones still waiting. */
export function partitionDue<T extends { dueAt: number }>(queue: T[], now: number): [due: T[], waiting: T[]] {
  const due: T[] = [];
  const waiting: T[] = [];
  for (const item of queue) (item.dueAt <= now ? due : waiting).push(item);
  return [due, waiting];
}

// Random bytes are drawn in blocks: one call into OpenSSL per id (several per request) was
// among the emulator's larger costs under load. Each block is mapped to the alphabet at once
// (byte b → alphabet[b % 62], as before), so an id is one latin1 slice of it rather than a
// string grown a character at a time (garbage on every request).
const alphabetCodes = Buffer.from(Array.from({ length: 256 }, (_, b) => alphabet.charCodeAt(b % alphabet.length)));
let pool = Buffer.alloc(0);
let poolOffset = 0;

export function randomId(prefix: string, length = 24): string {
  if (poolOffset + length > pool.length) {
    pool = randomBytes(Math.max(4096, length));
    for (let i = 0; i < pool.length; i++) pool[i] = alphabetCodes[pool[i]!]!;
    poolOffset = 0;
  }
  const id = prefix + pool.toString("latin1", poolOffset, poolOffset + length);
  poolOffset += length;
  return id;
}

/** The emulator's clock: the wall clock plus however far tests have advanced it. */
export class Clock {
  constructor(private readonly store: () => Store) {}
  nowMs(): number {
    return Date.now() + this.store().clockOffsetMs;
  }
  nowSeconds(): number {
    return Math.floor(this.nowMs() / 1000);
  }
  advance(seconds: number): void {
    this.store().clockOffsetMs += seconds * 1000;
  }
}

export function snapshot<T>(value: T): T {
  return structuredClone(value);
}
