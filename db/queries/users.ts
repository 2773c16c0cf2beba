import "server-only";
import { eq, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { users } from "../schema";

export async function findUserByEmail(db: Executor, normalizedEmail: string) {
  const [user] = await db.select().from(users).where(eq(sql`lower(${users.email})`, normalizedEmail)).limit(1);
  return user;
}

export async function findUserById(db: Executor, id: string) {
  const [user] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return user;
}

/** Inserts a user; a taken email (any letter case) raises the `users_email_lower_idx` violation. */
export async function insertUser(db: Executor, values: { email: string; name: string | null; passwordHash: string }) {
  const [user] = await db.insert(users).values(values).returning({ id: users.id, email: users.email, name: users.name });
  return user!;
}
