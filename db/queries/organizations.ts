import "server-only";
import { eq } from "drizzle-orm";
import type { Executor } from "../client";
import { organizations } from "../schema";

/** Inserts an organization; returns undefined when the slug is taken. */
export async function insertOrganization(db: Executor, values: { name: string; slug: string }) {
  const [row] = await db.insert(organizations).values(values).onConflictDoNothing().returning();
  return row;
}

/**
 * Locks the organization row for the rest of the transaction: membership changes of one
 * organization run one at a time, so "keep at least one owner" cannot be raced past.
 */
export async function lockOrganization(db: Executor, organizationId: string) {
  const [row] = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
    .for("update");
  return row !== undefined;
}
