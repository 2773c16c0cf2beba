import "server-only";
import { CredentialsSignin } from "next-auth";
import type { Executor } from "@/db/client";
import { deleteCounter, findOpenCounters, incrementCounter } from "@/db/queries/rate-limits";
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
      ? [{ key: `${subject.kind}:account:${subject.email}`, limit: policy.perAccount }]
      : []),
    ...(subject.ip ? [{ key: `${subject.kind}:ip:${subject.ip}`, limit: policy.perIp }] : []),
  ];
}

/** Seconds until the subject may try again, or 0 when it is not blocked. */
export async function secondsUntilAllowed(db: Executor, subject: AttemptSubject, policy: AttemptPolicy, now = new Date()) {
  if (!policy.enabled) return 0;
  const limits = limitsFor(subject, policy);
  const open = await findOpenCounters(db, limits.map((l) => l.key), now);
  let wait = 0;
  for (const counter of open) {
    const limit = limits.find((l) => l.key === counter.key)!.limit;
    if (counter.hits >= limit) wait = Math.max(wait, Math.ceil((counter.windowEndsAt.getTime() - now.getTime()) / 1000));
  }
  return wait;
}

export async function recordFailedAttempt(db: Executor, subject: AttemptSubject, policy: AttemptPolicy, now = new Date()) {
  if (!policy.enabled) return;
  for (const { key } of limitsFor(subject, policy)) await incrementCounter(db, key, now, policy.windowSeconds);
}

/** A successful sign-in forgives the account's earlier typos (the IP's count stays). */
export async function clearAccountFailures(db: Executor, email: string) {
  await deleteCounter(db, `sign-in:account:${email}`);
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
