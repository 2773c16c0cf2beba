import "server-only";
import NextAuth from "next-auth";
import { getAuthConfig } from "./config";

// Lazy config: the environment and database are read at the first request, not at build time.
export const { handlers, auth, signIn, signOut } = NextAuth(() => getAuthConfig());
