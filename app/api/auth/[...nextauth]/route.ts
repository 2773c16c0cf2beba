// GET|POST /api/auth/* – Auth.js (sign-in, callbacks, CSRF token, session, sign-out)
import { handlers } from "@/lib/auth/next-auth";

export const { GET, POST } = handlers;
