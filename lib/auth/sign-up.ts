import "server-only";
import { z } from "zod";
import { getDb } from "@/db/client";
import { isUniqueViolation } from "@/db/errors";
import { findUserByEmail, insertUser } from "@/db/queries/users";
import { AppError } from "@/lib/errors";
import { parseWith } from "@/lib/validation";
import { createOrganizationWithOwner, organizationNameSchema } from "@/lib/organizations/create";
import { hashPassword, normalizeEmail } from "./password";
import { giveBackAttempt, rateLimitedError, signInPolicy, takeAttempt, type AttemptPolicy } from "./rate-limit";

export const passwordLength = { min: 8, max: 128 } as const;

export const signUpSchema = z.object({
  email: z
    .string({ error: "Enter your email address." })
    .trim()
    .min(1, "Enter your email address.")
    .max(254, "Use an email address of at most 254 characters.")
    .pipe(z.email("Enter a valid email address, like name@example.com.")),
  password: z
    .string({ error: "Choose a password." })
    .min(passwordLength.min, `Use at least ${passwordLength.min} characters for your password.`)
    .max(passwordLength.max, `Use at most ${passwordLength.max} characters for your password.`),
  name: z
    .string({ error: "Enter your name." })
    .trim()
    .min(1, "Enter your name.")
    .max(100, "Use at most 100 characters for your name."),
  // Organizers may create their organization right away (they become its owner).
  organizationName: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === "" ? undefined : v))
    .pipe(organizationNameSchema.optional()),
});

export interface SignUpContext {
  ip?: string;
  now?: Date;
  policy?: AttemptPolicy;
}

/**
 * Creates an account (and optionally an organization it owns) in one transaction. Emails are
 * stored trimmed and lower-cased, so "Ann@X.example" and "ann@x.example" are one account (409).
 * Failed sign-ups (invalid input, email taken) count towards the per-IP limit like failed
 * sign-ins, which caps how fast anyone can probe which emails have accounts.
 */
export async function signUp(input: unknown, context: SignUpContext = {}) {
  const db = await getDb();
  const policy = context.policy ?? signInPolicy();
  const subject = { kind: "sign-up" as const, ip: context.ip };
  // Counted as a failure before any work (see takeAttempt), so sign-ups sent at once cannot all
  // pass a limit that has not seen the others' failures yet; given back when it was not one.
  const { retryAfterSeconds, taken } = await takeAttempt(db, subject, policy, context.now);
  if (retryAfterSeconds > 0) throw rateLimitedError(retryAfterSeconds);
  try {
    const data = parseWith(signUpSchema, input);
    const email = normalizeEmail(data.email);
    if (await findUserByEmail(db, email)) throw emailTaken();
    const passwordHash = await hashPassword(data.password);
    const created = await db.transaction(async (tx) => {
      const user = await insertUser(tx, { email, name: data.name, passwordHash });
      const organization = data.organizationName
        ? await createOrganizationWithOwner(tx, user.id, data.organizationName)
        : undefined;
      return { id: user.id, email: user.email, organizationId: organization?.id };
    });
    await giveBackAttempt(db, taken);
    return created;
  } catch (error) {
    const failure = isUniqueViolation(error) ? emailTaken() : error;
    // Only the sign-up's own failures count (invalid input, email taken); our 5xx do not.
    if (!(failure instanceof AppError && failure.status < 500)) await giveBackAttempt(db, taken);
    throw failure;
  }
}

function emailTaken() {
  return new AppError("email_taken", "An account with this email already exists. Sign in instead.", {
    fields: { email: "An account with this email already exists." },
  });
}
