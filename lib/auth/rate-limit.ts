import "server-only";
import { CredentialsSignin } from "next-auth";
import type { Executor } from "@/db/client";
import { deleteCounter, incrementCounter, releaseCounterHit } from "@/db/queries/rate-limits";
import { AppError } from "@/lib/errors";
import { getEnv } from "@/lib/env";

/**
 * Fixed-window limits on FAILED attempts, kept in the database so they hold across app instances.
 * A successful sign-in never counts (and clears its account's failures); a blocked key answers
 * "try again in N seconds" until its window ends.
 */
export interface AttemptPolicy {
  enabled: boolean;
  perAccount: number;
  perIp: number;
  windowSeconds: number;
}

export function signInPolicy(): AttemptPolicy {
  const env = getEnv();
  return { enabled: env.rateLimits, ...env.signInLimits };
}

export type AttemptKind = "sign-in" | "sign-up";

export interface AttemptSubject {
  kind: AttemptKind;
  /** Normalised email of the account tried (sign-in only). */
  email?: string;
  ip?: string;
}

function limitsFor(subject: AttemptSubject, policy: AttemptPolicy): { key: string; limit: number }[] {
  return [
    ...(subject.email && subject.kind === "sign-in"
      ? [{ key: accountKey(subject.email), limit: policy.perAccount }]
      : []),
    ...(subject.ip ? [{ key: `${subject.kind}:ip:${subject.ip}`, limit: policy.perIp }] : []),
  ];
}

const accountKey = (email: string) => `sign-in:account:${email}`;
const secondsLeft = (windowEndsAt: Date, now: Date) => Math.max(1, Math.ceil((windowEndsAt.getTime() - now.getTime()) / 1000));

/** Counter hits taken by `takeAttempt`, to give back when the attempt turns out not to be a failure. */
export type TakenHits = { key: string; windowEndsAt: Date }[];

/**
 * Counts the attempt as a failure BEFORE the slow check, so attempts sent at once cannot all pass
 * a check that has not seen the others' failures yet: each increment is one atomic statement, so
 * of N concurrent attempts only those whose increment stayed within every limit go on. Refused
 * attempts give their hits back at once (they never count); the caller gives back `taken` when
 * the attempt succeeds.
 */
export async function takeAttempt(
  db: Executor,
  subject: AttemptSubject,
  policy: AttemptPolicy,
  now = new Date(),
): Promise<{ retryAfterSeconds: number; taken: TakenHits }> {
  if (!policy.enabled) return { retryAfterSeconds: 0, taken: [] };
  const taken: TakenHits = [];
  let wait = 0;
  for (const { key, limit } of limitsFor(subject, policy)) {
    const counter = await incrementCounter(db, key, now, policy.windowSeconds);
    taken.push({ key, windowEndsAt: counter.windowEndsAt });
    if (counter.hits > limit) wait = Math.max(wait, secondsLeft(counter.windowEndsAt, now));
  }
  if (wait === 0) return { retryAfterSeconds: 0, taken };
  await giveBackAttempt(db, taken);
  return { retryAfterSeconds: wait, taken: [] };
}

export async function giveBackAttempt(db: Executor, taken: TakenHits) {
  for (const { key, windowEndsAt } of taken) await releaseCounterHit(db, key, windowEndsAt);
}

/** A successful sign-in does not count, and forgives its account's earlier typos (the IP's count stays). */
export async function acceptSignIn(db: Executor, email: string, taken: TakenHits) {
  await giveBackAttempt(db, taken.filter(({ key }) => key !== accountKey(email)));
  await clearAccountFailures(db, email);
}

/** A successful sign-in forgives the account's earlier typos (the IP's count stays). */
export async function clearAccountFailures(db: Executor, email: string) {
  await deleteCounter(db, accountKey(email));
}

export function tryAgainMessage(seconds: number): string {
  return `Too many failed attempts. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
}

/**
 * Thrown from Auth.js `authorize`: Auth.js passes `code` on to the sign-in page
 * (`?error=CredentialsSignin&code=rate_limited_<seconds>`) and to the sign-in action.
 */
export class TooManySignInAttempts extends CredentialsSignin {
  constructor(readonly retryAfterSeconds: number) {
    super(tryAgainMessage(retryAfterSeconds));
    this.code = `rate_limited_${retryAfterSeconds}`;
  }
}

/** The sign-in page's message for an Auth.js error code, when it is a rate-limit code. */
export function retryAfterFromCode(code: unknown): number | undefined {
  const match = typeof code === "string" ? /^rate_limited_(\d{1,6})$/.exec(code) : null;
  return match ? Number(match[1]) : undefined;
}

export function rateLimitedError(seconds: number): AppError {
  return new AppError("rate_limited", tryAgainMessage(seconds), { retryAfterSeconds: seconds });
}
