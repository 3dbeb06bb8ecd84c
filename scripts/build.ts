/**
 * `npm run build` (and `prepack`, so `npm pack` and `npm publish` build first): compiles the library's entry points
 * (the root, `constructs`, `policies` and the scan command) to CommonJS JavaScript with declaration files in `dist/`,
 * and copies the checkov configuration and custom checks the scan command runs and the model verifier's script that
 * InferenceService mounts into its pods. Stacks, scripts and tests are not part of the package.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(__dirname, "..");
const DIST = join(ROOT, "dist");
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

/** The checkov files the scan command needs, relative to policies/checkov. */
function checkovAssets(): string[] {
  const dir = join(ROOT, "policies", "checkov");
  const checks = readdirSync(join(dir, "checks"))
    .filter((name) => name.endsWith(".py"))
    .map((name) => join("checks", name));
  return ["config.yaml", "requirements.txt", "constraints.txt", ...checks];
}

function main(): number {
  rmSync(DIST, { recursive: true, force: true });
  // TypeScript 7 by its own path: `.bin/tsc` may be TypeScript 5's, installed only to run the ts-node example.
  const tsc = spawnSync(process.execPath, [TSC, "-p", join(ROOT, "tsconfig.build.json")], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (tsc.status !== 0) {
    console.error(`build: tsc failed (exit ${tsc.status})`);
    return 1;
  }
  for (const asset of checkovAssets()) {
    const target = join(DIST, "policies", "checkov", asset);
    mkdirSync(join(target, ".."), { recursive: true });
    cpSync(join(ROOT, "policies", "checkov", asset), target);
  }
  cpSync(
    join(ROOT, "constructs", "kubernetes", "verify-model.sh"),
    join(DIST, "constructs", "kubernetes", "verify-model.sh"),
  );
  chmodSync(join(DIST, "policies", "scan-command.js"), 0o755);
  return 0;
}

process.exitCode = main();
