/**
 * `npm run scan`: checkov over every synthesized stack, with the suppression register applied as a baseline.
 *
 *   tsx scripts/scan.ts                     scan what `npm run synth` wrote to cdktf.out/
 *   tsx scripts/scan.ts --all-environments  synthesize and scan every environment (what `npm test` runs)
 *
 * Creates `.venv/` with the pinned checkov (policies/checkov/requirements.txt) when it is missing. Writes console,
 * JSON, SARIF and JUnit output under reports/checkov/<environment>/. Exits non-zero on any failed check, a
 * parsing error, or a suppression that no longer suppresses anything.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  annotateSarif,
  applySuppressions,
  type CheckovReport,
  type SarifLog,
  type ScanOutcome,
  toJUnit,
} from "../policies/checkov-results";
import { registerProblems, SUPPRESSIONS, type Suppression, stackMatches } from "../policies/suppressions";
import { ENVIRONMENTS } from "../stacks/config";

const ROOT = resolve(__dirname, "..");
const VENV = join(ROOT, ".venv");
const CHECKOV = join(VENV, "bin", "checkov");
const REQUIREMENTS = join(ROOT, "policies", "checkov", "requirements.txt");
const CONFIG = join(ROOT, "policies", "checkov", "config.yaml");
const CUSTOM_CHECKS = join(ROOT, "policies", "checkov", "checks");

function run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(command, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
}

/** The checkov version pinned in requirements.txt. */
function pinnedVersion(): string {
  const match = /^checkov==(\S+)$/m.exec(readFileSync(REQUIREMENTS, "utf8"));
  if (!match) throw new Error(`${REQUIREMENTS}: expected a line "checkov==<version>"`);
  return match[1];
}

/** Creates or repairs the venv so that it holds exactly the pinned checkov. */
function ensureCheckov(): void {
  const pinned = pinnedVersion();
  if (existsSync(CHECKOV)) {
    const installed = run(CHECKOV, ["--version"]).stdout.trim();
    if (installed === pinned) return;
    console.log(`checkov ${installed || "(broken)"} in .venv; installing the pinned ${pinned}`);
  } else {
    console.log(`creating .venv with checkov ${pinned} (once)`);
  }
  const python = process.env.PYTHON || "python3";
  for (const [command, args] of [
    [python, ["-m", "venv", VENV]],
    [join(VENV, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS]],
  ] as const) {
    const result = spawnSync(command, [...args], { cwd: ROOT, stdio: "inherit" });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status})`);
  }
}

/** The stacks an app synthesized into `outdir`, from its manifest; stale folders are an error. */
function synthesizedStacks(outdir: string): string[] {
  const manifestPath = join(outdir, "manifest.json");
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: run \`npm run synth\` first`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { stacks: Record<string, unknown> };
  const stacks = Object.keys(manifest.stacks).sort();
  const onDisk = readdirSync(join(outdir, "stacks")).sort();
  if (onDisk.join() !== stacks.join()) {
    throw new Error(
      `${outdir}/stacks holds ${onDisk.join(", ")} but the manifest lists ${stacks.join(", ")}: synthesize again`,
    );
  }
  return stacks;
}

/** Scans one synthesized app folder with checkov, applies the register and writes the reports. */
function scan(name: string, outdir: string, reportDir: string): ScanOutcome {
  const stacks = synthesizedStacks(outdir);
  rmSync(reportDir, { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  const args = ["--config-file", CONFIG, "-d", join(outdir, "stacks"), "-o", "cli", "-o", "json", "-o", "sarif"];
  args.push("--output-file-path", reportDir);
  if (existsSync(CUSTOM_CHECKS)) args.push("--external-checks-dir", CUSTOM_CHECKS);
  const result = run(CHECKOV, args);
  if (result.status !== 0 && result.status !== 1) {
    process.stderr.write(`${result.stdout ?? ""}${result.stderr ?? ""}`);
    throw new Error(`checkov failed to run (exit ${result.status})`);
  }
  process.stdout.write(`${readFileSync(join(reportDir, "results_cli.txt"), "utf8").trimEnd()}\n`);
  const raw = JSON.parse(readFileSync(join(reportDir, "results_json.json"), "utf8")) as CheckovReport | CheckovReport[];
  const report = (Array.isArray(raw) ? raw : [raw]).find((r) => r.check_type === "terraform_json");
  if (!report) throw new Error(`checkov reported no terraform_json results for ${outdir}: nothing was scanned`);
  const outcome = applySuppressions(report, stacks, SUPPRESSIONS);

  const sarifPath = join(reportDir, "results_sarif.sarif");
  const sarif = JSON.parse(readFileSync(sarifPath, "utf8")) as SarifLog;
  annotateSarif(sarif, outcome.suppressed);
  writeFileSync(sarifPath, `${JSON.stringify(sarif, null, 2)}\n`);
  writeFileSync(join(reportDir, "results_junitxml.xml"), toJUnit(outcome, `checkov.${name}`));
  return outcome;
}

function main(): number {
  const problems = registerProblems(SUPPRESSIONS);
  if (problems.length > 0) {
    for (const p of problems) console.error(`suppression register: ${p}`);
    return 1;
  }
  ensureCheckov();
  const all = process.argv.includes("--all-environments");
  const targets: { name: string; outdir: string }[] = [];
  if (all) {
    for (const name of Object.keys(ENVIRONMENTS).sort()) {
      const outdir = join(ROOT, "cdktf.out", "environments", name);
      const synth = spawnSync(process.execPath, ["--import", "tsx", "main.ts"], {
        cwd: ROOT,
        stdio: "inherit",
        env: { ...process.env, BLUEPRINT_ENV: name, CDKTF_OUTDIR: outdir },
      });
      if (synth.status !== 0) throw new Error(`synthesizing environment ${name} failed (exit ${synth.status})`);
      targets.push({ name, outdir });
    }
  } else {
    const outdir = process.env.CDKTF_OUTDIR || join(ROOT, "cdktf.out");
    const stacks = synthesizedStacks(outdir);
    const platform = stacks.find((s) => s.startsWith("platform-"));
    targets.push({ name: platform ? platform.slice("platform-".length) : "default", outdir });
  }

  let failures = 0;
  const scannedStacks: string[] = [];
  for (const target of targets) {
    console.log(`\n== checkov: environment ${target.name} (${target.outdir})`);
    const outcome = scan(target.name, target.outdir, join(ROOT, "reports", "checkov", target.name));
    scannedStacks.push(...synthesizedStacks(target.outdir));
    for (const s of outcome.suppressed) {
      console.log(
        `  suppressed ${s.result.check_id} ${s.result.resource} (${s.result.file_path}): ${s.suppression.reason}`,
      );
    }
    for (const f of outcome.failed)
      console.error(`  FAILED ${f.check_id} ${f.resource} (${f.file_path}): ${f.check_name ?? ""}`);
    console.log(
      `checkov ${target.name}: ${outcome.passed.length} passed, ${outcome.failed.length} failed, ${outcome.suppressed.length} suppressed, ${outcome.parsingErrors} parsing errors; reports in reports/checkov/${target.name}/`,
    );
    for (const s of outcome.unusedSuppressions) {
      console.error(
        `  UNUSED SUPPRESSION ${s.checkId} on ${s.stack} ${s.resource}: remove it from policies/suppressions.ts`,
      );
    }
    failures += outcome.failed.length + outcome.parsingErrors + outcome.unusedSuppressions.length;
  }
  if (all) {
    const orphans: Suppression[] = SUPPRESSIONS.filter((s) => !scannedStacks.some((st) => stackMatches(s.stack, st)));
    for (const s of orphans) console.error(`  UNUSED SUPPRESSION ${s.checkId}: no stack matches "${s.stack}"`);
    failures += orphans.length;
  }
  return failures === 0 ? 0 : 1;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`scan: ${(error as Error).message}`);
  process.exitCode = 2;
}
