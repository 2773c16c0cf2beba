import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getDb, type Executor } from "@/db/client";
import { insertMembership } from "@/db/queries/memberships";
import { insertOrganization } from "@/db/queries/organizations";
import { AppError } from "@/lib/errors";
import { parseWith } from "@/lib/validation";

export const organizationNameSchema = z
  .string({ error: "Enter the organization's name." })
  .trim()
  .min(2, "Use at least 2 characters for the organization's name.")
  .max(100, "Use at most 100 characters for the organization's name.");

export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48)
    .replace(/-+$/, "");
  return slug || "organization";
}

/**
 * Creates an organization with `userId` as its owner. Call inside a transaction (the caller's, so
 * sign-up can create the user and the organization together). Slugs are unique; a taken one gets
 * a short random suffix.
 */
export async function createOrganizationWithOwner(tx: Executor, userId: string, name: string) {
  const base = slugify(name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 ? base : `${base}-${randomBytes(3).toString("hex")}`;
    const organization = await insertOrganization(tx, { name, slug });
    if (organization) {
      await insertMembership(tx, organization.id, userId, "owner");
      return organization;
    }
  }
  throw new AppError("conflict", "Could not find a free address for that organization name. Try a different name.");
}

/** "Create organization" in the organizer area: any signed-in user, who becomes its owner. */
export async function createOrganization(actor: { userId: string }, input: unknown) {
  const name = parseWith(z.object({ name: organizationNameSchema }), input).name;
  const db = await getDb();
  return db.transaction((tx) => createOrganizationWithOwner(tx, actor.userId, name));
}
