// Reading a session: Auth.js's session pipeline (what auth() runs) with its default JWE codec,
// the same pipeline with boxoffice's codec, and the guards' direct cookie decode.
// Run: npx tsx --conditions=react-server scripts/bench/auth-session.ts
import { Auth, type AuthConfig } from "@auth/core";
import { decodeSessionToken, encodeSessionToken } from "@/lib/auth/session-token";

const secret = "bench-secret-0123456789abcdef0123456789";
const salt = "authjs.session-token";
const payload = { sub: crypto.randomUUID(), email: "bench@example.com", name: "Bench" };
const iterations = Number(process.argv[2] ?? 2000);

function config(custom: boolean): AuthConfig {
  return {
    secret,
    trustHost: true,
    basePath: "/api/auth",
    session: { strategy: "jwt" },
    providers: [],
    ...(custom && {
      jwt: {
        encode: ({ token, secret, salt, maxAge }) =>
          encodeSessionToken({ payload: token ?? {}, secret, salt, maxAgeSeconds: maxAge ?? 2592000 }),
        decode: ({ token, secret, salt }) => decodeSessionToken({ token, secret, salt }),
      },
    }),
  };
}

async function time(label: string, fn: () => Promise<unknown>) {
  for (let i = 0; i < 200; i++) await fn(); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn();
  const micros = Number(process.hrtime.bigint() - start) / 1000 / iterations;
  console.log(`${label.padEnd(52)} ${micros.toFixed(1).padStart(8)} µs/op  ${Math.round(1e6 / micros).toString().padStart(7)} ops/s`);
}

async function main() {
  const { encode } = await import("@auth/core/jwt");
  const defaultToken = await encode({ token: payload, secret, salt });
  const customToken = encodeSessionToken({ payload, secret, salt, maxAgeSeconds: 2592000 });
  const session = (token: string, custom: boolean) => () =>
    Auth(new Request("http://localhost:3000/api/auth/session", { headers: { cookie: `${salt}=${token}` } }), config(custom)).then(
      (r) => r.json(),
    );
  console.log(`${iterations} iterations, node ${process.version}`);
  await time("Auth.js session pipeline, default JWE codec", session(defaultToken, false));
  await time("Auth.js session pipeline, boxoffice codec", session(customToken, true));
  await time("guards: direct decode of the cookie", async () => decodeSessionToken({ token: customToken, secret, salt }));
}

void main();
