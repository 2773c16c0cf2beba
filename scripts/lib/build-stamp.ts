import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

// Everything `next build` reads. A change to any of these makes the existing build stale.
const inputs = ["app", "lib", "db", "public", "next.config.ts", "package-lock.json", "tsconfig.json", "postcss.config.mjs"];
const stampFile = path.join(".next", "boxoffice-build-stamp");

function walk(entry: string, hash: ReturnType<typeof createHash>): void {
  if (!existsSync(entry)) return;
  const stat = statSync(entry);
  if (stat.isDirectory()) {
    for (const child of readdirSync(entry).sort()) walk(path.join(entry, child), hash);
  } else {
    hash.update(`${entry}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
}

export function sourceStamp(): string {
  const hash = createHash("sha256");
  for (const input of inputs) walk(input, hash);
  return hash.digest("hex");
}

export function buildIsCurrent(stamp: string): boolean {
  return existsSync(path.join(".next", "BUILD_ID")) && existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp;
}

export function recordBuild(stamp: string): void {
  writeFileSync(stampFile, stamp);
}
