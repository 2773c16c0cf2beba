import "server-only";
import { getDb } from "@/db/client";
import { findPaymentOrganizationId } from "@/db/queries/organizer-payments";
import type { MembershipRole } from "@/db/schema";
import { requireMember, requireUser, viewRoles } from "@/lib/auth/guards";
import { AppError, notFound } from "@/lib/errors";
import { isUuid } from "@/lib/validation";

/**
 * For API routes addressed by payment id alone: the signed-in member of the payment's organization
 * with one of `roles`. Signed out → 401; no such payment, or one of an organization the user is not
 * in → the same 404; a member without the role → 403.
 */
export async function requirePaymentMember(paymentId: string, roles: readonly MembershipRole[] = viewRoles) {
  await requireUser();
  const organizationId = isUuid(paymentId) ? await findPaymentOrganizationId(await getDb(), paymentId) : undefined;
  if (!organizationId) throw notFound("The payment");
  try {
    return await requireMember(organizationId, roles);
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") throw notFound("The payment");
    throw error;
  }
}
