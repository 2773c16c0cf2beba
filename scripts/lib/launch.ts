import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { closeDb, getDb } from "@/db/client";
import { acquireDirLock } from "@/db/dir-lock";
import { migrateDatabase } from "@/db/migrate";
import { demoAccounts, demoPassword, isDatabaseEmpty, seedDemoData } from "@/lib/demo/seed";
import { getEnv } from "@/lib/env";
import { startStripeEmulator, type StripeEmulator } from "../stripe-emulator/server";
import { buildIsCurrent, recordBuild, sourceStamp } from "./build-stamp";
import { nextBin, nextServerArgs } from "./next-server";

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${path.basename(args[0] ?? command)} exited with ${code}`))));
  });
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode} while starting`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app did not become healthy at ${url} within ${timeoutMs / 1000}s`);
}

/**
 * `npm start` / `npm run dev`: one command runs the whole product. Migrate, seed an empty database,
 * build when the build is missing or stale, start the Stripe emulator when no real Stripe key is
 * configured, then run Next and stop everything together.
 */
export async function launch({ dev }: { dev: boolean }): Promise<void> {
  const env = getEnv();
  const log = (line: string) => console.log(`[boxoffice] ${line}`);
  // One launcher per data folder: a second `npm start` stops here, before touching anything.
  const releaseLauncher = acquireDirLock(path.join(env.dataDir, "launcher.lock"), `boxoffice (npm start) for ${env.dataDir}`);

  log(env.database.kind === "postgres" ? "database: Postgres (DATABASE_URL)" : `database: embedded PGlite in ${env.database.dir}`);
  const db = await getDb();
  await migrateDatabase(db);
  if (env.nodeEnv !== "production" && (await isDatabaseEmpty(db))) {
    log("empty database: adding demo data");
    await seedDemoData(db);
  }
  // The Next server process opens the embedded database next; this process must let go of it first.
  await closeDb();

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    NEXT_TELEMETRY_DISABLED: "1",
    // instrumentation.ts closes the database on SIGTERM/SIGINT instead of Next's own handler.
    NEXT_MANUAL_SIG_HANDLE: "true",
    BOXOFFICE_EMBEDDED: "1",
    BOXOFFICE_DATA_DIR: env.dataDir,
    PORT: String(env.port),
    APP_URL: env.appUrl,
    AUTH_SECRET: env.authSecret,
    STRIPE_SECRET_KEY: env.stripe.secretKey,
    STRIPE_WEBHOOK_SECRET: env.stripe.webhookSecret,
    ...(env.stripe.apiUrl ? { STRIPE_API_URL: env.stripe.apiUrl } : {}),
  };

  if (!dev) {
    const stamp = sourceStamp();
    if (buildIsCurrent(stamp)) log("build is up to date");
    else {
      log("building the app (first run or sources changed)…");
      await run(process.execPath, [nextBin, "build"], { ...childEnv, NODE_ENV: "production" });
      recordBuild(stamp);
    }
  }

  let emulator: StripeEmulator | undefined;
  if (env.stripe.emulated) {
    emulator = await startStripeEmulator({
      port: env.stripe.emulatorPort,
      webhookSecret: env.stripe.webhookSecret,
      webhookUrls: env.stripe.webhookUrls,
      stateFile: path.join(env.dataDir, "stripe-emulator.json"),
      log: (line) => console.log(`[stripe-emulator] ${line}`),
    });
    log(`Stripe emulator: ${emulator.url} (dashboard ${emulator.url}/_emulator/)`);
  } else {
    log("Stripe: using STRIPE_SECRET_KEY against the real Stripe API");
  }

  const app = spawn(process.execPath, nextServerArgs([dev ? "dev" : "start", "-p", String(env.port)]), {
    stdio: "inherit",
    env: dev ? { ...childEnv, NODE_ENV: "development" } : childEnv,
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log("stopping…");
    if (app.exitCode === null) {
      app.kill("SIGTERM");
      await new Promise((r) => app.once("exit", r));
    }
    await emulator?.close();
    releaseLauncher();
    process.exit(code);
  };
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
  app.on("exit", (code) => void stop(code ?? 1));

  await waitForHealth(env.appUrl, app);
  log(`ready: ${env.appUrl}`);
  log(`demo sign-ins (password "${demoPassword}"): ${demoAccounts.map((a) => `${a.email} (${a.role})`).join(", ")}`);
  log("press Ctrl-C to stop");
}
