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
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ensureCheckov, synthesizedStacks } from "../policies/checkov-scan";
import { GUARDRAILS_FILE, type GuardrailsJson } from "../policies/guardrails/reports";
import { scanApp } from "../policies/scan-app";
import { SUPPRESSIONS } from "../policies/suppressions";
import { ENVIRONMENTS } from "../stacks/config";

const ROOT = resolve(__dirname, "..");

/** Synthesizes one environment into its own folder, as `npm run synth` would; several run at once. */
function synthesize(name: string): Promise<string> {
  const outdir = join(ROOT, "cdktf.out", "environments", name);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ["--import", "tsx", "main.ts"], {
      cwd: ROOT,
      stdio: "inherit",
      env: {
        ...process.env,
        BLUEPRINT_ENV: name,
        CDKTF_OUTDIR: outdir,
        BLUEPRINT_REPORTS_DIR: join(ROOT, "reports", "environments", name),
      },
    });
    child.on("error", fail);
    child.on("close", (code) =>
      code === 0 ? done(outdir) : fail(new Error(`synthesizing environment ${name} failed (exit ${code})`)),
    );
  });
}

async function main(): Promise<number> {
  ensureCheckov();
  if (process.argv.includes("--setup")) return 0;

  const all = process.argv.includes("--all-environments");
  const targets: { name: string; outdir: string }[] = [];
  if (all) {
    // The environments are synthesized, then scanned, side by side: each step is one single-threaded process.
    const names = Object.keys(ENVIRONMENTS).sort();
    const outdirs = await Promise.all(names.map(synthesize));
    for (const [i, name] of names.entries()) targets.push({ name, outdir: outdirs[i] });
  } else {
    const outdir = process.env.CDKTF_OUTDIR || join(ROOT, "cdktf.out");
    const platform = synthesizedStacks(outdir).find((s) => s.startsWith("platform-"));
    targets.push({ name: platform ? platform.slice("platform-".length) : "default", outdir });
  }

  // Each scan prints its lines when all are done, in order, so that the output does not interleave.
  const scans = await Promise.all(
    targets.map(async ({ name, outdir }) => {
      const lines: [boolean, string][] = [];
      const failures = await scanApp({
        name,
        outdir,
        reportDir: join(ROOT, "reports", "checkov", name),
        log: (line) => lines.push([false, line]),
        error: (line) => lines.push([true, line]),
      });
      return { failures, lines };
    }),
  );
  let failures = 0;
  for (const scan of scans) {
    for (const [isError, line] of scan.lines) (isError ? console.error : console.log)(line);
    failures += scan.failures;
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

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`scan: ${error.message}`);
    process.exitCode = 2;
  },
);
