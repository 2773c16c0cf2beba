import "server-only";
import type { Session } from "next-auth";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getDb } from "@/db/client";
import type { MembershipRole } from "@/db/schema";
import { AppError } from "@/lib/errors";
import { getEnv } from "@/lib/env";
import { authorizeMember, manageRoles, ownerRoles, viewRoles } from "@/lib/organizations/access";
import { usesSecureCookies } from "./config";
import { sessionCookieName } from "./cookies";
import { auth } from "./next-auth";
import { decodeSessionToken } from "./session-token";

export { manageRoles, ownerRoles, viewRoles };

export interface CurrentUser {
  id: string;
  email: string;
  name: string | null;
}

/**
 * The signed-in user, read straight from the session cookie with the codec Auth.js itself uses
 * (lib/auth/session-token.ts): one decrypt, no database, no Auth.js request round-trip — `auth()`
 * re-encrypts and re-sets the cookie on every call, which dominated CPU under load. Cached per
 * request (header, layout and page all ask). Auth.js's own endpoints still refresh the cookie.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | undefined> => {
  const jar = await cookies(); // first: marks the page dynamic before any configuration is read
  const env = getEnv();
  const name = sessionCookieName(usesSecureCookies(env));
  const token = jar.get(name)?.value;
  if (!token) {
    // A cookie too big for one header is split by Auth.js into name.0, name.1…: let it reassemble.
    return jar.has(`${name}.0`) ? fromSession(await auth()) : undefined;
  }
  const payload = decodeSessionToken({ token, secret: env.authSecret, salt: name });
  if (!payload?.sub || typeof payload.email !== "string") return undefined;
  return { id: payload.sub, email: payload.email, name: typeof payload.name === "string" ? payload.name : null };
});

function fromSession(session: Session | null): CurrentUser | undefined {
  const user = session?.user;
  if (!user?.id || !user.email) return undefined;
  return { id: user.id, email: user.email, name: user.name ?? null };
}

/** For route handlers and actions: the signed-in user, or a 401 AppError. */
export async function requireUser(): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("unauthenticated", "Sign in to continue.");
  return user;
}

/** For pages: the signed-in user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUserOrSignIn(returnTo: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/**
 * The signed-in user's membership of an organization with one of `roles`. Not a member → 404 (an
 * organization you do not belong to does not exist for you); a member without the role → 403.
 */
export async function requireMember(organizationId: string, roles: readonly MembershipRole[] = viewRoles) {
  const user = await requireUser();
  const member = await authorizeMember(await getDb(), user.id, organizationId, roles);
  return { user, organizationId, role: member.role, organizationName: member.organizationName };
}
