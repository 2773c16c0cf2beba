import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { verifyCredentials } from "@/lib/auth/credentials";
import { TooManySignInAttempts, type AttemptPolicy } from "@/lib/auth/rate-limit";
import { createUser, testPassword } from "../factories";

const policy: AttemptPolicy = { enabled: true, perAccount: 3, perIp: 5, windowSeconds: 60 };
const randomIp = () => `test-ip-${crypto.randomUUID()}`;
const start = new Date("2031-05-01T12:00:00Z");
const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);

async function attempt(email: string, password: string, ip: string, now: Date, p = policy) {
  try {
    return { user: await verifyCredentials(await getDb(), { email, password }, { ip, now, policy: p }) };
  } catch (error) {
    if (error instanceof TooManySignInAttempts) return { blockedFor: error.retryAfterSeconds };
    throw error;
  }
}

// Each attempt runs scrypt (32 MiB): generous timeouts for a busy 2-core CI machine.
describe("signing in with email and password", { timeout: 120_000 }, () => {
  it("accepts the password whatever the email's letter case and surrounding spaces", async () => {
    const user = await createUser();
    const result = await attempt(`  ${user.email.toUpperCase()} `, testPassword, randomIp(), start);
    expect(result.user).toEqual({ id: user.id, email: user.email, name: user.name });
  });

  it("returns the same nothing for a wrong password and for an unknown account", async () => {
    const user = await createUser();
    expect(await attempt(user.email, "wrong password", randomIp(), start)).toEqual({ user: null });
    expect(await attempt(`nobody-${crypto.randomUUID()}@test.example`, testPassword, randomIp(), start)).toEqual({ user: null });
  });

  it("blocks an account after too many failures — even with the right password — until the window ends", async () => {
    const user = await createUser();
    for (let i = 0; i < 3; i++) expect(await attempt(user.email, `wrong-${i}`, randomIp(), at(i))).toEqual({ user: null });
    expect(await attempt(user.email, testPassword, randomIp(), at(10))).toEqual({ blockedFor: 50 });
    expect(await attempt(user.email.toUpperCase(), testPassword, randomIp(), at(59))).toEqual({ blockedFor: 1 });
    expect((await attempt(user.email, testPassword, randomIp(), at(60))).user?.id).toBe(user.id);
  });

  it("counts only failures: successful sign-ins never block, and they forgive earlier typos", async () => {
    const user = await createUser();
    const ip = randomIp();
    for (let i = 0; i < 4; i++) expect((await attempt(user.email, testPassword, ip, at(i))).user?.id).toBe(user.id);
    for (let round = 0; round < 2; round++) {
      await attempt(user.email, "typo-1", randomIp(), at(20 + round));
      await attempt(user.email, "typo-2", randomIp(), at(20 + round));
      expect((await attempt(user.email, testPassword, randomIp(), at(20 + round))).user?.id).toBe(user.id);
    }
  });

  it("blocks an address that fails across many accounts, but not other addresses", async () => {
    const ip = randomIp();
    const victims = await Promise.all([1, 2, 3, 4, 5, 6].map(() => createUser()));
    for (const victim of victims.slice(0, 5)) await attempt(victim.email, "guess", ip, start);
    expect(await attempt(victims[5]!.email, testPassword, ip, at(1))).toEqual({ blockedFor: 59 });
    expect((await attempt(victims[5]!.email, testPassword, randomIp(), at(1))).user?.id).toBe(victims[5]!.id);
  });

  it("never blocks when rate limits are off (RATE_LIMITS=off, for load tests)", async () => {
    const user = await createUser();
    const off = { ...policy, enabled: false };
    for (let i = 0; i < 6; i++) await attempt(user.email, "wrong", "10.9.9.9", start, off);
    expect((await attempt(user.email, testPassword, "10.9.9.9", start, off)).user?.id).toBe(user.id);
  });

  it("holds under concurrent failures: every failure is counted once", async () => {
    const user = await createUser();
    const wide = { ...policy, perAccount: 8 };
    await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((i) => attempt(user.email, `wrong-${i}`, randomIp(), start, wide)));
    expect(await attempt(user.email, testPassword, randomIp(), at(1), wide)).toEqual({ blockedFor: 59 });
  });

  // The slot is taken in the database before the password is hashed, so a burst of guesses sent
  // at once gets no more password checks than the limit allows.
  it("checks no more passwords than the per-account limit when guesses arrive at once", async () => {
    const user = await createUser();
    const burst = { enabled: true, perAccount: 3, perIp: 1000, windowSeconds: 60 };
    const results = await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        try {
          return await verifyCredentials(await getDb(), { email: user.email, password: `guess-${i}` }, { ip: `10.0.0.${i}`, policy: burst });
        } catch (error) {
          if (error instanceof TooManySignInAttempts) return "blocked" as const;
          throw error;
        }
      }),
    );
    expect(results.filter((r) => r !== "blocked")).toEqual([null, null, null]);
    expect(await attempt(user.email, testPassword, randomIp(), new Date(), burst)).toMatchObject({ blockedFor: expect.any(Number) });
  });

  it("checks no more passwords than the per-address limit when guesses arrive at once", async () => {
    const ip = randomIp();
    const victims = await Promise.all([1, 2, 3].map(() => createUser()));
    const burst = { enabled: true, perAccount: 1000, perIp: 3, windowSeconds: 60 };
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => attempt(victims[i % 3]!.email, `guess-${i}`, ip, start, burst)),
    );
    expect(results.filter((r) => !("blockedFor" in r))).toEqual([{ user: null }, { user: null }, { user: null }]);
    expect(await attempt(victims[0]!.email, testPassword, ip, at(1), burst)).toEqual({ blockedFor: 59 });
  });

  it("does not count refused attempts against the address they came from", async () => {
    const blocked = await createUser();
    const other = await createUser();
    for (let i = 0; i < 3; i++) await attempt(blocked.email, `wrong-${i}`, randomIp(), start);
    const ip = randomIp();
    for (let i = 0; i < 6; i++) expect(await attempt(blocked.email, testPassword, ip, at(1))).toEqual({ blockedFor: 59 });
    expect((await attempt(other.email, testPassword, ip, at(2))).user?.id).toBe(other.id);
  });
});
