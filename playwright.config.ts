import { defineConfig, devices } from "@playwright/test";
import { existsSync } from "node:fs";

// Debian's Chromium on the project's machines (Playwright cannot download its own browser offline);
// Playwright's bundled browser on a developer laptop.
const debianChromium = "/usr/bin/chromium";
const launchOptions = existsSync(debianChromium)
  ? {
      executablePath: debianChromium,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    }
  : {};

// The app under test runs on its own ports and data folder, so it never meets a developer's `npm start`.
export const e2ePort = Number(process.env.E2E_PORT ?? 3100);
export const e2eEmulatorPort = Number(process.env.E2E_STRIPE_EMULATOR_PORT ?? 12150);
export const e2eBaseUrl = `http://localhost:${e2ePort}`;
export const e2eEmulatorUrl = `http://127.0.0.1:${e2eEmulatorPort}`;

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"], ["json", { outputFile: ".data/test-results/playwright.json" }]],
  use: { ...devices["Desktop Chrome"], baseURL: e2eBaseUrl, launchOptions, trace: "retain-on-failure" },
  webServer: {
    command: "npx tsx --conditions=react-server scripts/e2e-server.ts",
    url: `${e2eBaseUrl}/api/health`,
    timeout: 240_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      PORT: String(e2ePort),
      STRIPE_EMULATOR_PORT: String(e2eEmulatorPort),
      BOXOFFICE_DATA_DIR: `.data/e2e-${e2ePort}`,
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
