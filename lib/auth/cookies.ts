/**
 * Cookie names shared by the Auth.js config, the guards and proxy.ts (which cannot import
 * server-only modules). Secure cookies carry the `__Secure-` prefix, as Auth.js names them.
 */
export const sessionCookieBaseName = "authjs.session-token";

export function sessionCookieName(secure: boolean): string {
  return secure ? `__Secure-${sessionCookieBaseName}` : sessionCookieBaseName;
}

/** Either name, for cheap "is there a session cookie at all" checks. */
export const sessionCookieNames = [sessionCookieName(false), sessionCookieName(true)] as const;

/** proxy.ts passes the requested path to the organizer layout in this request header. */
export const pathnameHeader = "x-boxoffice-pathname";
