import "server-only";
import { z } from "zod";
import { getDb, type Executor } from "@/db/client";
import { findUserByEmail } from "@/db/queries/users";
import { check } from "@/lib/validation";
import { clientIp } from "./client-ip";
import { normalizeEmail, verifyPassword } from "./password";
import { acceptSignIn, signInPolicy, takeAttempt, TooManySignInAttempts, type AttemptPolicy } from "./rate-limit";

const credentialsSchema = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1024) });

// Verifying against a dummy hash when the account does not exist keeps the timing of
// "no such account" and "wrong password" alike, so sign-in does not reveal which emails exist.
const dummyHash = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$" + "A".repeat(86);

export interface SignInContext {
  ip?: string;
  now?: Date;
  policy?: AttemptPolicy;
}

/**
 * Checks an email and password. Returns the user, or null for every kind of mismatch (one
 * message for all); throws TooManySignInAttempts while the account or the address is blocked.
 */
export async function verifyCredentials(db: Executor, credentials: unknown, context: SignInContext = {}) {
  const parsed = check(credentialsSchema, credentials);
  if (!parsed.ok) return null;
  const email = normalizeEmail(parsed.data.email);
  const policy = context.policy ?? signInPolicy();
  const subject = { kind: "sign-in" as const, email, ip: context.ip };
  // The attempt is counted as a failure before the password is checked (see takeAttempt), so
  // guesses sent concurrently get no more password checks than the limits allow.
  const { retryAfterSeconds, taken } = await takeAttempt(db, subject, policy, context.now);
  if (retryAfterSeconds > 0) throw new TooManySignInAttempts(retryAfterSeconds);

  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(parsed.data.password, user?.passwordHash ?? dummyHash);
  if (!user || !user.passwordHash || !ok) return null;
  if (policy.enabled) await acceptSignIn(db, email, taken);
  return { id: user.id, email: user.email, name: user.name };
}

/** Auth.js `authorize`. */
export async function authenticateWithPassword(credentials: unknown, request: Request) {
  return verifyCredentials(await getDb(), credentials, { ip: clientIp(request.headers) });
}
