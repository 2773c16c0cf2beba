// POST /api/auth/sign-up – create an account {email, password, name}; then sign in with Auth.js's credentials flow
import { clientIp } from "@/lib/auth/client-ip";
import { signUp } from "@/lib/auth/sign-up";
import { json, parseJson, route } from "@/lib/http/respond";
import { z } from "zod";

export const POST = route(async (request: Request) => {
  // Shape only here; the service validates the fields and counts failures towards the rate limit.
  const body = await parseJson(request, z.record(z.string(), z.unknown()));
  const { id, email } = await signUp(body, { ip: clientIp(request.headers) });
  return json({ id, email }, 201);
});
