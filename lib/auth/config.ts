import "server-only";
import { DrizzleAdapter } from "@auth/drizzle-adapter";
import type { NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import { getDb } from "@/db/client";
import { accounts, sessions, users, verificationTokens } from "@/db/schema";
import { getEnv } from "@/lib/env";
import { authenticateWithPassword } from "./credentials";

/** OAuth providers are on only when both their client id and secret are configured. */
export function enabledOAuthProviders() {
  const { oauth } = getEnv();
  return [
    ...(oauth.github ? [{ id: "github", name: "GitHub", provider: GitHub(oauth.github) }] : []),
    ...(oauth.google ? [{ id: "google", name: "Google", provider: Google(oauth.google) }] : []),
  ];
}

export async function buildAuthConfig(): Promise<NextAuthConfig> {
  const env = getEnv();
  const db = await getDb();
  return {
    secret: env.authSecret,
    // The app decides its own URL (APP_URL); behind a proxy the Host header is trusted like Next does.
    trustHost: true,
    session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
    pages: { signIn: "/sign-in" },
    adapter: DrizzleAdapter(db, {
      usersTable: users,
      accountsTable: accounts,
      sessionsTable: sessions,
      verificationTokensTable: verificationTokens,
    }),
    providers: [
      Credentials({
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        authorize: (credentials, request) => authenticateWithPassword(credentials, request),
      }),
      ...enabledOAuthProviders().map((p) => p.provider),
    ],
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
  };
}
