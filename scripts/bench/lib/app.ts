import { spawn, type ChildProcess } from "node:child_process";
import { execSync } from "node:child_process";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { Database } from "@/db/client";
import * as schema from "@/db/schema";
import { defaultDatabasePoolSize } from "@/lib/env/schema";
import { createFreshDatabase } from "@/tests/setup/test-database";
import { buildIsCurrent, recordBuild, sourceStamp } from "../../lib/build-stamp";
import { nextBin, nextServerArgs } from "../../lib/next-server";

export const benchSecrets = {
  // Clearly not secrets: a throw-away database, a local emulator, cookies that live for one run.
  STRIPE_SECRET_KEY: "sk_test_bench_only",
  STRIPE_WEBHOOK_SECRET: "whsec_bench_only_not_a_secret",
  AUTH_SECRET: "bench-only-auth-secret-not-for-production-0000",
};

export interface BenchApp {
  baseUrl: string;
  databaseUrl: string;
  /** A handle on the bench database for seeding and for checking results (its own small pool). */
  db: Database;
  emulatorUrl: string;
  /** The app's and the emulator's processes, for measuring where CPU goes (lib/cpu.ts). */
  pids: { app: number; emulator: number };
  stop(): Promise<void>;
}

/**
 * The built app (`next start`) on a fresh Postgres database with its own Stripe emulator, as in
 * production but on one machine: what every benchmark measures. Builds first when the build is
 * stale. Sign-in rate limits are off (the launcher's embedded flag allows that outside production).
 */
export async function startBenchApp(options: { port: number; emulatorPort: number; serverUrl?: string }): Promise<BenchApp> {
  const serverUrl = options.serverUrl ?? process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const database = await createFreshDatabase(serverUrl, "boxoffice_bench");
  const client = postgres(database.url, { max: 4, onnotice: () => {} });
  const emulatorUrl = `http://127.0.0.1:${options.emulatorPort}`;
  // BENCH_EMULATOR_NODE_ARGS reach only the emulator's node (its CPU shares the machine with the app).
  const emulator = spawn(
    process.execPath,
    [
      ...nodeArgs("BENCH_EMULATOR_NODE_ARGS"),
      "--import",
      "tsx",
      "--conditions=react-server",
      "scripts/bench/lib/emulator-main.ts",
      String(options.emulatorPort),
      benchSecrets.STRIPE_WEBHOOK_SECRET,
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const cleanUp = async () => {
    emulator.kill("SIGTERM");
    await client.end({ timeout: 5 });
    await database.drop();
  };
  try {
    await waitFor(`${emulatorUrl}/_emulator/health`, emulator);
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...benchSecrets,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    BOXOFFICE_EMBEDDED: "1",
    BOXOFFICE_DATA_DIR: `.data/bench-${options.port}`,
    DATABASE_URL: database.url,
    STRIPE_API_URL: emulatorUrl,
    APP_URL: baseUrl,
    PORT: String(options.port),
    RATE_LIMITS: "off",
    // The shipped default (lib/env/schema.ts) unless a benchmark says otherwise;
    // BENCH_DATABASE_POOL_SIZE tries another size without editing code.
    DATABASE_POOL_SIZE: String(Number(process.env.BENCH_DATABASE_POOL_SIZE) || defaultDatabasePoolSize),
  };
  const stamp = sourceStamp();
  if (!buildIsCurrent(stamp)) {
    console.log("[bench] building the app…");
    try {
      execSync(`${JSON.stringify(process.execPath)} ${JSON.stringify(nextBin)} build`, { stdio: "inherit", env });
    } catch (error) {
      await cleanUp(); // a failed build must not leave the emulator running
      throw error;
    }
    recordBuild(stamp);
  }
  // Started as `npm start` starts it (nextServerArgs). BENCH_APP_NODE_ARGS reach only the app's node
  // and come after the shipped flags, so they win: e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where time goes,
  // or "--v8-pool-size=4" to compare with Node's default.
  const app = spawn(process.execPath, nextServerArgs(["start", "-p", String(options.port), "-H", "127.0.0.1"], nodeArgs("BENCH_APP_NODE_ARGS")), {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    await waitFor(`${baseUrl}/api/health`, app);
  } catch (error) {
    app.kill("SIGTERM");
    await cleanUp();
    throw error;
  }
  return {
    baseUrl,
    databaseUrl: database.url,
    db: drizzle(client, { schema }),
    emulatorUrl,
    pids: { app: app.pid!, emulator: emulator.pid! },
    stop: async () => {
      for (const child of [app, emulator]) {
        if (child.exitCode !== null) continue;
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      await client.end({ timeout: 5 });
      await database.drop();
    },
  };
}

function nodeArgs(variable: string): string[] {
  return (process.env[variable] ?? "").split(" ").filter(Boolean);
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with code ${child.exitCode} while starting`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not become healthy`);
}

/** Machine load next to the numbers: other work on a shared 2-core machine distorts them. */
export function machineLoad(): string {
  try {
    return execSync("uptime", { encoding: "utf8" }).trim();
  } catch {
    return "uptime unavailable";
  }
}
