// npm test — the whole suite, in the order that fails fastest: types, lint, Vitest, Playwright.
// With DATABASE_URL set (CI), database tests run on a fresh Postgres database; without it, on PGlite.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";

const resultsDir = ".data/test-results";
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const steps: [string, string[]][] = [
  ["route types", ["next", "typegen"]],
  ["type check", ["tsc", "--noEmit"]],
  ["lint", ["eslint", "--max-warnings=0", "."]],
  ["vitest", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile=${resultsDir}/vitest.json`]],
  ["playwright", ["playwright", "test"]],
];

const only = process.argv.slice(2);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
for (const [name, [bin, ...args]] of steps) {
  if (only.length > 0 && !only.includes(name.split(" ")[0]!)) continue;
  console.log(`\n▶ ${name}: ${bin} ${args.join(" ")}`);
  const started = Date.now();
  const result = spawnSync("npx", ["--no-install", bin!, ...args], { stdio: "inherit", env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ ${name} failed after ${seconds}s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✓ ${name} (${seconds}s)`);
}

// One closing line that counts every test run, for people and for CI.
const counts = { passed: 0, failed: 0, skipped: 0 };
if (existsSync(`${resultsDir}/vitest.json`)) {
  const v = JSON.parse(readFileSync(`${resultsDir}/vitest.json`, "utf8")) as Record<string, number>;
  counts.passed += v.numPassedTests ?? 0;
  counts.failed += v.numFailedTests ?? 0;
  counts.skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
}
if (existsSync(`${resultsDir}/playwright.json`)) {
  const p = JSON.parse(readFileSync(`${resultsDir}/playwright.json`, "utf8")) as { stats: Record<string, number> };
  counts.passed += (p.stats.expected ?? 0) + (p.stats.flaky ?? 0);
  counts.failed += p.stats.unexpected ?? 0;
  counts.skipped += p.stats.skipped ?? 0;
}
console.log(`\nTests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
