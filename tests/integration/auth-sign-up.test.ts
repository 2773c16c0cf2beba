import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/auth/sign-up/route";
import { getDb } from "@/db/client";
import { listMembershipsOfUser } from "@/db/queries/memberships";
import { findUserByEmail } from "@/db/queries/users";
import { users } from "@/db/schema";
import { verifyPassword } from "@/lib/auth/password";
import { signUp } from "@/lib/auth/sign-up";
import { expectAppError } from "./tenancy-helpers";

const uniqueEmail = (prefix = "signup") => `${prefix}-${crypto.randomUUID().slice(0, 8)}@Test.Example`;
const randomIp = () => `test-ip-${crypto.randomUUID()}`;

function postSignUp(body: unknown, ip = randomIp()) {
  return POST(
    new Request("http://localhost:3999/api/auth/sign-up", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": ip },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}

describe("POST /api/auth/sign-up", { timeout: 120_000 }, () => {
  it("creates an account with a normalised email and a scrypt hash, and answers 201 {id, email}", async () => {
    const email = `  ${uniqueEmail()} `;
    const response = await postSignUp({ email, password: "a fine password", name: "Ann" });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; email: string };
    expect(body).toEqual({ id: expect.any(String), email: email.trim().toLowerCase() });
    const stored = await findUserByEmail(await getDb(), body.email);
    expect(stored?.id).toBe(body.id);
    expect(stored?.passwordHash).toMatch(/^scrypt\$/);
    expect(await verifyPassword("a fine password", stored!.passwordHash!)).toBe(true);
    expect(JSON.stringify(body)).not.toContain("scrypt");
  });

  it("refuses the same email in a different letter case with 409 and creates nothing", async () => {
    const email = uniqueEmail();
    expect((await postSignUp({ email: email.toLowerCase(), password: "password-one", name: "First" })).status).toBe(201);
    const response = await postSignUp({ email: email.toUpperCase(), password: "password-two", name: "Second" });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: {
        code: "email_taken",
        message: "An account with this email already exists. Sign in instead.",
        fields: { email: "An account with this email already exists." },
      },
    });
    const rows = await (await getDb()).select().from(users).where(eq(users.email, email.toLowerCase()));
    expect(rows.map((r) => r.name)).toEqual(["First"]);
  });

  it("lets exactly one of two simultaneous sign-ups for one email through", async () => {
    const email = uniqueEmail("race");
    const responses = await Promise.all([
      postSignUp({ email: email.toLowerCase(), password: "password-one", name: "One" }),
      postSignUp({ email: email.toUpperCase(), password: "password-two", name: "Two" }),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await (await getDb()).select().from(users).where(eq(users.email, email.toLowerCase()))).toHaveLength(1);
  });

  it("answers 400 with a message per field", async () => {
    const response = await postSignUp({ email: "not-an-email", password: "short", name: "" });
    expect(response.status).toBe(400);
    const { error } = (await response.json()) as { error: { code: string; fields: Record<string, string> } };
    expect(error.code).toBe("validation_failed");
    expect(error.fields).toEqual({
      email: "Enter a valid email address, like name@example.com.",
      password: "Use at least 8 characters for your password.",
      name: "Enter your name.",
    });
    const tooLong = await postSignUp({ email: uniqueEmail(), password: "x".repeat(129), name: "Long" });
    expect(((await tooLong.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({
      password: "Use at most 128 characters for your password.",
    });
    expect((await postSignUp({ email: uniqueEmail(), password: "x".repeat(128), name: "Max" })).status).toBe(201);
  });

  it("answers 400 for a body that is not JSON", async () => {
    const response = await postSignUp("{nope");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_request");
  });

  it("blocks an address after too many failed sign-ups and lets it in again when the window ends", async () => {
    const policy = { enabled: true, perAccount: 5, perIp: 2, windowSeconds: 60 };
    const ip = randomIp();
    const now = new Date("2030-01-01T00:00:00Z");
    const taken = uniqueEmail();
    await signUp({ email: taken, password: "password-one", name: "Taken" }, { ip, now, policy: { ...policy, enabled: false } });
    await expectAppError(signUp({ email: taken, password: "password-two", name: "A" }, { ip, now, policy }), "email_taken");
    await expectAppError(signUp({ email: "bad", password: "x", name: "B" }, { ip, now, policy }), "validation_failed");
    const fresh = uniqueEmail();
    await expectAppError(signUp({ email: fresh, password: "password-ok", name: "C" }, { ip, now, policy }), "rate_limited");
    expect(await findUserByEmail(await getDb(), fresh.toLowerCase())).toBeUndefined();
    const later = new Date(now.getTime() + 61_000);
    expect((await signUp({ email: fresh, password: "password-ok", name: "C" }, { ip, now: later, policy })).email).toBe(fresh.toLowerCase());
  });

  it("lets no more failed sign-ups through than the limit when they arrive at once", async () => {
    const policy = { enabled: true, perAccount: 5, perIp: 3, windowSeconds: 60 };
    const ip = randomIp();
    const taken = uniqueEmail();
    await signUp({ email: taken, password: "password-one", name: "Taken" }, { ip, policy: { ...policy, enabled: false } });
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, () =>
        signUp({ email: taken, password: "password-two", name: "Again" }, { ip, policy }).then(
          () => "created",
          (error: { code?: string }) => error.code,
        ),
      ),
    );
    expect(outcomes.filter((code) => code === "email_taken")).toHaveLength(3);
    expect(outcomes.filter((code) => code === "rate_limited")).toHaveLength(27);
    // A sign-up that succeeds does not use up the address's allowance.
    const open = { ...policy, perIp: 1 };
    const other = randomIp();
    await signUp({ email: uniqueEmail(), password: "password-ok", name: "One" }, { ip: other, policy: open });
    await signUp({ email: uniqueEmail(), password: "password-ok", name: "Two" }, { ip: other, policy: open });
  });

  it("creates the organizer's organization with them as owner when an organization name is given", async () => {
    const created = await signUp({ email: uniqueEmail(), password: "password-ok", name: "Org", organizationName: "Ünïcode Events & Co" });
    expect(created.organizationId).toEqual(expect.any(String));
    const memberships = await listMembershipsOfUser(await getDb(), created.id);
    expect(memberships).toEqual([
      expect.objectContaining({ organizationId: created.organizationId, organizationName: "Ünïcode Events & Co", role: "owner" }),
    ]);
    expect(memberships[0]!.organizationSlug).toMatch(/^unicode-events-co(-[0-9a-f]{6})?$/);
  });
});
