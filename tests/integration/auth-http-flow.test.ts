import { describe, expect, it } from "vitest";
import { handlers } from "@/lib/auth/next-auth";
import { decodeSessionToken } from "@/lib/auth/session-token";
import { getEnv } from "@/lib/env";
import { createUser, testPassword } from "../factories";

// The standard Auth.js credentials flow an API client uses (README): CSRF token, then the
// credentials callback, then the session cookie — through the real route handlers.
const base = "http://localhost:3999/api/auth";

class CookieJar {
  private cookies = new Map<string, string>();
  store(response: Response) {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...value] = pair!.split("=");
      this.cookies.set(name!.trim(), value.join("="));
    }
  }
  get(name: string) {
    return this.cookies.get(name);
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }
}

async function signInOverHttp(email: string, password: string, ip = `test-ip-${crypto.randomUUID()}`) {
  const jar = new CookieJar();
  const csrfResponse = await handlers.GET(new Request(`${base}/csrf`) as never);
  jar.store(csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const response = await handlers.POST(
    new Request(`${base}/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header(), "x-forwarded-for": ip },
      body: new URLSearchParams({ csrfToken, email, password, callbackUrl: "/" }),
    }) as never,
  );
  jar.store(response);
  return { response, jar };
}

describe("Auth.js credentials flow over HTTP", { timeout: 120_000 }, () => {
  it("signs in with a CSRF token and returns an httpOnly, sameSite=lax session cookie carrying the user id", async () => {
    const user = await createUser({ email: `http-${crypto.randomUUID().slice(0, 8)}@test.example` });
    const { response, jar } = await signInOverHttp(user.email.toUpperCase(), testPassword);
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("http://localhost:3999/");
    const setCookie = response.headers.getSetCookie().find((c) => c.startsWith("authjs.session-token="))!;
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const token = jar.get("authjs.session-token");
    const payload = decodeSessionToken({ token, secret: getEnv().authSecret, salt: "authjs.session-token" });
    expect(payload?.sub).toBe(user.id);

    const session = await handlers.GET(new Request(`${base}/session`, { headers: { cookie: jar.header() } }) as never);
    expect(await session.json()).toMatchObject({ user: { id: user.id, email: user.email } });
  });

  it("answers a wrong password and an unknown email the same way, without a session", async () => {
    const user = await createUser();
    const wrong = await signInOverHttp(user.email, "not the password");
    const unknown = await signInOverHttp(`nobody-${crypto.randomUUID()}@test.example`, "not the password");
    for (const { response, jar } of [wrong, unknown]) {
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe("http://localhost:3999/sign-in?error=CredentialsSignin&code=credentials");
      expect(jar.get("authjs.session-token")).toBeUndefined();
    }
  });

  it("refuses a sign-in without the CSRF token", async () => {
    const user = await createUser();
    const response = await handlers.POST(
      new Request(`${base}/callback/credentials`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email: user.email, password: testPassword }),
      }) as never,
    );
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toContain("error=MissingCSRF");
    expect(response.headers.getSetCookie().some((c) => c.startsWith("authjs.session-token=") && !/Max-Age=0|Expires=Thu, 01 Jan 1970/.test(c))).toBe(false);
  });

  it("sends a blocked account back to sign-in with the seconds to wait", async () => {
    const user = await createUser();
    for (let i = 0; i < 5; i++) await signInOverHttp(user.email, `wrong-${i}`);
    const { response, jar } = await signInOverHttp(user.email, testPassword);
    expect(response.headers.get("location")).toMatch(/\/sign-in\?error=CredentialsSignin&code=rate_limited_\d+$/);
    expect(jar.get("authjs.session-token")).toBeUndefined();
  });
});
