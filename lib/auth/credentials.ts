import "server-only";
import { z } from "zod";
import { getDb } from "@/db/client";
import { findUserByEmail } from "@/db/queries/users";
import { normalizeEmail, verifyPassword } from "./password";

const credentialsSchema = z.object({ email: z.string().trim().min(1), password: z.string().min(1) });

// Verifying against a dummy hash when the account does not exist keeps the timing of
// "no such account" and "wrong password" alike, so sign-in does not reveal which emails exist.
const dummyHash = "scrypt$32768$8$AAAAAAAAAAAAAAAAAAAAAA$" + "A".repeat(86);

/** Auth.js `authorize`: the user for valid credentials, null otherwise (one message for every failure). */
export async function authenticateWithPassword(credentials: unknown, _request: Request) {
  const parsed = credentialsSchema.safeParse(credentials);
  if (!parsed.success) return null;
  const user = await findUserByEmail(await getDb(), normalizeEmail(parsed.data.email));
  const ok = await verifyPassword(parsed.data.password, user?.passwordHash ?? dummyHash);
  if (!user || !user.passwordHash || !ok) return null;
  return { id: user.id, email: user.email, name: user.name };
}
