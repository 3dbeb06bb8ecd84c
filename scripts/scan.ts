/**
 * `npm run scan`: checkov over every synthesized stack, with the suppression register applied.
 *
 *   scripts/scan.ts                     scan what `npm run synth` wrote to cdktf.out/
 *   scripts/scan.ts --all-environments  synthesize and scan every environment (what `npm test` runs)
 *   scripts/scan.ts --setup             only create .venv with the pinned checkov
 *
 * Creates `.venv/` with the pinned checkov when it is missing. First the guardrails gate: every synthesized stack must
 * carry the guardrails' passing record (none synthesized past an error, without validations or without guardrails).
 * The skips come from the suppression register, as the guardrails resolved it during synth (each stack's record).
 * Writes console, JSON, SARIF and JUnit output under reports/checkov/<environment>/. Exits 1 on any refused stack,
 * failed check, parsing error or unused suppression; 2 when the scan itself cannot run.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureCheckov, synthesizedStacks } from "../policies/checkov-scan";
import { GUARDRAILS_FILE, type GuardrailsJson } from "../policies/guardrails/reports";
import { scanApp } from "../policies/scan-app";
import { SUPPRESSIONS } from "../policies/suppressions";
import { ENVIRONMENTS } from "../stacks/config";

const ROOT = resolve(__dirname, "..");

/** Synthesizes one environment into its own folder, as `npm run synth` would. */
function synthesize(name: string): string {
  const outdir = join(ROOT, "cdktf.out", "environments", name);
  const synth = spawnSync(process.execPath, ["--import", "tsx", "main.ts"], {
    cwd: ROOT,
    stdio: "inherit",
    env: {
      ...process.env,
      BLUEPRINT_ENV: name,
      CDKTF_OUTDIR: outdir,
      BLUEPRINT_REPORTS_DIR: join(ROOT, "reports", "environments", name),
    },
  });
  if (synth.status !== 0) throw new Error(`synthesizing environment ${name} failed (exit ${synth.status})`);
  return outdir;
}

function main(): number {
  ensureCheckov();
  if (process.argv.includes("--setup")) return 0;

  const all = process.argv.includes("--all-environments");
  const targets: { name: string; outdir: string }[] = [];
  if (all) {
    for (const name of Object.keys(ENVIRONMENTS).sort()) targets.push({ name, outdir: synthesize(name) });
  } else {
    const outdir = process.env.CDKTF_OUTDIR || join(ROOT, "cdktf.out");
    const platform = synthesizedStacks(outdir).find((s) => s.startsWith("platform-"));
    targets.push({ name: platform ? platform.slice("platform-".length) : "default", outdir });
  }

  let failures = 0;
  for (const { name, outdir } of targets) {
    failures += scanApp({ name, outdir, reportDir: join(ROOT, "reports", "checkov", name) });
  }
  if (all) {
    // Each environment checks the register entries for its own stacks; an entry no environment applies is stale.
    const applied = targets.flatMap(
      ({ outdir }) => (JSON.parse(readFileSync(join(outdir, GUARDRAILS_FILE), "utf8")) as GuardrailsJson).suppressions,
    );
    for (const entry of SUPPRESSIONS) {
      if (applied.some((s) => s.origin === "register" && s.path === entry.path && s.ruleId === entry.ruleId)) continue;
      console.error(`  UNUSED SUPPRESSION: ${entry.ruleId} on ${entry.path} applies to no stack of any environment`);
      failures += 1;
    }
  }
  return failures === 0 ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`scan: ${(error as Error).message}`);
  process.exitCode = 2;
}
