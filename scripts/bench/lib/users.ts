import { randomBytes, scryptSync } from "node:crypto";
import type { Database } from "@/db/client";
import { users } from "@/db/schema";

export const benchPassword = "bench-password";

/**
 * Bench buyers, written straight into the database. Their hash uses a low scrypt cost (the format
 * is self-describing, so sign-in verifies it as usual): signing in thousands of buyers should not
 * be the benchmark.
 */
export async function seedBuyers(db: Database, count: number, prefix: string): Promise<string[]> {
  const salt = randomBytes(16);
  const key = scryptSync(benchPassword, salt, 64, { N: 1024, r: 8, p: 1 });
  const passwordHash = ["scrypt", 1024, 8, 1, salt.toString("base64url"), key.toString("base64url")].join("$");
  const emails = Array.from({ length: count }, (_, i) => `${prefix}-${i}@bench.example`);
  for (let i = 0; i < emails.length; i += 1000) {
    await db.insert(users).values(emails.slice(i, i + 1000).map((email) => ({ email, name: "Bench Buyer", passwordHash })));
  }
  return emails;
}

/** Signs in through Auth.js's credentials flow, like a browser would; returns the Cookie header. */
export async function signIn(baseUrl: string, email: string, password = benchPassword): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const at = pair!.indexOf("=");
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const callback = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookie() },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/" }),
  });
  keep(callback);
  const session = [...jar.keys()].find((k) => k.endsWith("authjs.session-token"));
  if (!session) throw new Error(`signing in ${email} failed (status ${callback.status})`);
  return `${session}=${jar.get(session)}`;
}

/** Signs many buyers in, a few at a time. */
export async function signInAll(baseUrl: string, emails: string[], parallel = 8): Promise<string[]> {
  const cookies: string[] = new Array(emails.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < emails.length) {
        const i = next++;
        cookies[i] = await signIn(baseUrl, emails[i]!);
      }
    }),
  );
  return cookies;
}
