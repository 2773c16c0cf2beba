import { NextResponse, type NextRequest } from "next/server";
import { pathnameHeader, sessionCookieNames } from "@/lib/auth/cookies";

/**
 * An optimistic check only (no decoding, no database): a visitor without any session cookie is
 * sent to sign-in at once, with the page they asked for as callbackUrl. The organizer layout and
 * each page still check the session and membership for real; they learn the requested path from
 * the header set here (layouts are not told their path).
 */
export function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const signedIn = sessionCookieNames.some((name) => request.cookies.has(name) || request.cookies.has(`${name}.0`));
  if (!signedIn) {
    const signIn = new URL("/sign-in", request.url);
    signIn.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(signIn);
  }
  const headers = new Headers(request.headers);
  headers.set(pathnameHeader, `${pathname}${search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = { matcher: ["/organizer", "/organizer/:path*"] };
