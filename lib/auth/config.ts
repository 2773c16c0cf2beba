import "server-only";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import { CredentialsSignin, type NextAuthConfig } from "next-auth";
import type { Adapter } from "next-auth/adapters";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { getDb, type Database } from "@/db/client";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { getEnv, type Env } from "@/lib/env";
import { sessionCookieName } from "./cookies";
import { authenticateWithPassword } from "./credentials";
import { normalizeEmail } from "./password";
import { decodeSessionToken, encodeSessionToken } from "./session-token";

export const sessionMaxAgeSeconds = 30 * 24 * 60 * 60;

/** Cookies are `secure` in production and whenever the app is served over https. */
export function usesSecureCookies(env: Pick<Env, "production" | "appUrl">): boolean {
  return env.production || env.appUrl.startsWith("https://");
}

/** OAuth providers are on only when both their client id and secret are configured. */
export function enabledOAuthProviders(env: Pick<Env, "oauth"> = getEnv()) {
  const { oauth } = env;
  return [
    ...(oauth.github ? [{ id: "github", name: "GitHub", provider: GitHub(oauth.github) }] : []),
    ...(oauth.google ? [{ id: "google", name: "Google", provider: Google(oauth.google) }] : []),
  ];
}

export function buildAuthConfig(env: Env, db: Database): NextAuthConfig {
  const secure = usesSecureCookies(env);
  return {
    secret: env.authSecret,
    // The app decides its own URL (APP_URL); behind a proxy the Host header is trusted like Next does.
    trustHost: true,
    useSecureCookies: secure,
    session: { strategy: "jwt", maxAge: sessionMaxAgeSeconds },
    cookies: {
      sessionToken: { name: sessionCookieName(secure), options: { httpOnly: true, sameSite: "lax", path: "/", secure } },
    },
    jwt: {
      maxAge: sessionMaxAgeSeconds,
      encode: ({ token, secret, salt, maxAge }) =>
        encodeSessionToken({ payload: token ?? {}, secret, salt, maxAgeSeconds: maxAge ?? sessionMaxAgeSeconds }),
      decode: ({ token, secret, salt }) => decodeSessionToken({ token, secret, salt }),
    },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    // Only OAuth sign-ins use the adapter (to create users and link accounts); sessions are JWTs.
    adapter: normalizedEmailAdapter(
      DrizzleAdapter(db, {
        usersTable: users,
        accountsTable: accounts,
        sessionsTable: sessions,
        verificationTokensTable: verificationTokens,
      }),
    ),
    providers: [
      Credentials({
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: (credentials, request) => authenticateWithPassword(credentials, request),
      }),
      ...enabledOAuthProviders(env).map((p) => p.provider),
    ],
    // Runs on every auth(): no database work here, only copying the user id the token carries.
    callbacks: {
      jwt({ token, user }) {
        if (user?.id) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
    logger: {
      // A wrong password is not a server error; everything else is logged with its cause.
      error(error) {
        if (error instanceof CredentialsSignin) return;
        console.error("[auth]", error);
      },
    },
  };
}

/**
 * OAuth providers report emails in any letter case; accounts store them lower-cased (one account
 * per email, see the unique index on lower(email)), so the adapter looks up and creates with the
 * normalised form.
 */
function normalizedEmailAdapter(adapter: Adapter): Adapter {
  return {
    ...adapter,
    getUserByEmail: (email) => adapter.getUserByEmail!(normalizeEmail(email)),
    createUser: (user) => adapter.createUser!({ ...user, email: normalizeEmail(user.email) }),
  };
}

const cache = globalThis as unknown as { __boxofficeAuthConfig?: Promise<NextAuthConfig> };

/** Built once per process (Auth.js calls a lazy config on every request and every auth()). */
export function getAuthConfig(): Promise<NextAuthConfig> {
  cache.__boxofficeAuthConfig ??= getDb()
    .then((db) => buildAuthConfig(getEnv(), db))
    .catch((error: unknown) => {
      cache.__boxofficeAuthConfig = undefined; // let the next request try again
      throw error;
    });
  return cache.__boxofficeAuthConfig;
}
