import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  annotateSarif,
  applySuppressions,
  type CheckovReport,
  type SarifLog,
  type ScanOutcome,
  toJUnit,
} from "./checkov-results";
import type { CheckovSkip } from "./guardrails/evaluate";
import { GUARDRAILS_FILE, type GuardrailsJson } from "./guardrails/reports";

const ROOT = resolve(__dirname, "..");
/** The project's checkov: a venv holding exactly the version pinned in policies/checkov/requirements.txt. */
const VENV = join(ROOT, ".venv");
const CHECKOV = join(VENV, "bin", "checkov");
const REQUIREMENTS = join(__dirname, "checkov", "requirements.txt");
const CONSTRAINTS = join(__dirname, "checkov", "constraints.txt");
/** Records which requirements the venv was built from, so that a changed pin rebuilds it. */
const STAMP = join(VENV, ".blueprint-requirements");
const CONFIG = join(__dirname, "checkov", "config.yaml");
const CUSTOM_CHECKS = join(__dirname, "checkov", "checks");

/** The checkov version pinned in requirements.txt. */
function pinnedCheckovVersion(): string {
  const match = /^checkov==(\S+)$/m.exec(readFileSync(REQUIREMENTS, "utf8"));
  if (!match) throw new Error(`${REQUIREMENTS}: expected a line "checkov==<version>"`);
  return match[1];
}

/** A digest of the requirement and constraint files the venv must match. */
function requirementsDigest(): string {
  return createHash("sha256").update(readFileSync(REQUIREMENTS)).update(readFileSync(CONSTRAINTS)).digest("hex");
}

/**
 * Creates or rebuilds `.venv` so that it holds exactly the pinned checkov and its pinned dependencies. The stamp,
 * written only after a successful install, says what the venv was built from; trusting it saves starting checkov
 * (about 2 s) just to ask its version.
 */
export function ensureCheckov(log: (line: string) => void = console.log): void {
  const digest = requirementsDigest();
  if (existsSync(CHECKOV) && existsSync(STAMP) && readFileSync(STAMP, "utf8") === digest) return;
  log(`creating .venv with checkov ${pinnedCheckovVersion()} and its pinned dependencies (once)`);
  const python = process.env.PYTHON || "python3";
  const steps: [string, string[]][] = [
    [python, ["-m", "venv", "--clear", VENV]],
    [join(VENV, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS]],
  ];
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { cwd: ROOT, stdio: "inherit" });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status})`);
  }
  writeFileSync(STAMP, digest);
}

/** The stacks an app synthesized into `outdir`, from its manifest; stale folders are an error. */
export function synthesizedStacks(outdir: string): string[] {
  const manifestPath = join(outdir, "manifest.json");
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: run \`npm run synth\` first`);
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { stacks: Record<string, unknown> };
  const stacks = Object.keys(manifest.stacks).sort();
  const onDisk = readdirSync(join(outdir, "stacks")).sort();
  if (onDisk.join() !== stacks.join()) {
    throw new Error(
      `${outdir}/stacks holds ${onDisk.join(", ")} but its manifest lists ${stacks.join(", ")}: synthesize again`,
    );
  }
  return stacks;
}

/**
 * The checkov skips that the synth which wrote `outdir` derived from the suppression register (the guardrails
 * write them next to the stacks), so that checkov and the guardrails accept exactly the same exceptions.
 */
export function checkovSkipsOf(outdir: string): readonly CheckovSkip[] {
  const path = join(outdir, GUARDRAILS_FILE);
  if (!existsSync(path)) throw new Error(`${path} is missing: synthesize with \`npm run synth\` first`);
  return (JSON.parse(readFileSync(path, "utf8")) as GuardrailsJson).checkovSkips;
}

/** What to scan and where to report. */
export interface CheckovScanOptions {
  /** A synthesized app folder (holding manifest.json and stacks/). */
  readonly outdir: string;
  /** Where the reports go; emptied first. */
  readonly reportDir: string;
  /** Name of the JUnit suite, e.g. `checkov.prod`. */
  readonly suiteName: string;
  /** The checkov skips the suppression register yields. Default: those the guardrails wrote into `outdir`. */
  readonly skips?: readonly CheckovSkip[];
}

/** A finished scan: the outcome and checkov's own console report. */
export interface CheckovScan {
  readonly stacks: readonly string[];
  readonly outcome: ScanOutcome;
  readonly console: string;
}

/**
 * Runs the pinned checkov over every stack of a synthesized app (`--framework terraform_json`, custom checks from
 * policies/checkov/checks), applies the register, and writes `results_cli.txt`, `results_json.json` (checkov's
 * own), `results_sarif.sarif` (suppressed results marked with their reason) and `results_junitxml.xml`.
 */
export function runCheckovScan(options: CheckovScanOptions): CheckovScan {
  const stacks = synthesizedStacks(options.outdir);
  rmSync(options.reportDir, { recursive: true, force: true });
  mkdirSync(options.reportDir, { recursive: true });
  const args = ["--config-file", CONFIG, "-d", join(options.outdir, "stacks"), "--output-file-path", options.reportDir];
  args.push("-o", "cli", "-o", "json", "-o", "sarif");
  if (existsSync(CUSTOM_CHECKS)) args.push("--external-checks-dir", CUSTOM_CHECKS);
  // CKV_SMD_4 reads the stack around a namespace: it finds the file under this root (checkov names it relative to it).
  const env = { ...process.env, SMD_CHECKOV_ROOT: resolve(options.outdir, "stacks") };
  const result = spawnSync(CHECKOV, args, { cwd: ROOT, env, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0 && result.status !== 1) {
    throw new Error(`checkov failed to run (exit ${result.status}):\n${result.stdout ?? ""}${result.stderr ?? ""}`);
  }
  const raw = JSON.parse(readFileSync(join(options.reportDir, "results_json.json"), "utf8")) as
    | CheckovReport
    | CheckovReport[];
  const report = (Array.isArray(raw) ? raw : [raw]).find((r) => r.check_type === "terraform_json");
  if (!report) throw new Error(`checkov reported no terraform_json results for ${options.outdir}: nothing was scanned`);
  const outcome = applySuppressions(report, options.skips ?? checkovSkipsOf(options.outdir));

  const sarifPath = join(options.reportDir, "results_sarif.sarif");
  const sarif = JSON.parse(readFileSync(sarifPath, "utf8")) as SarifLog;
  annotateSarif(sarif, outcome.suppressed);
  writeFileSync(sarifPath, `${JSON.stringify(sarif, null, 2)}\n`);
  writeFileSync(join(options.reportDir, "results_junitxml.xml"), toJUnit(outcome, options.suiteName));
  return { stacks, outcome, console: readFileSync(join(options.reportDir, "results_cli.txt"), "utf8") };
}
