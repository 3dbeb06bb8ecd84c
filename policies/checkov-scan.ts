import { spawn, spawnSync } from "node:child_process";
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
import { recordOf, recordProblem } from "./guardrails/guardrails-record";

/**
 * The venv holding exactly the checkov version pinned in policies/checkov/requirements.txt: `SMD_CHECKOV_VENV` when
 * set, else `.venv` beside this folder (the project's own; the package's command passes a cache folder of the app).
 */
export function defaultCheckovVenv(): string {
  return process.env.SMD_CHECKOV_VENV || resolve(__dirname, "..", ".venv");
}
const REQUIREMENTS = join(__dirname, "checkov", "requirements.txt");
const CONSTRAINTS = join(__dirname, "checkov", "constraints.txt");
/** Records, inside the venv, which requirements it was built from, so that a changed pin rebuilds it. */
const STAMP_FILE = ".blueprint-requirements";
const CONFIG = join(__dirname, "checkov", "config.yaml");
const CUSTOM_CHECKS = join(__dirname, "checkov", "checks");

/** The checkov version pinned in requirements.txt. */
export function pinnedCheckovVersion(): string {
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
export function ensureCheckov(log: (line: string) => void = console.log, venv = defaultCheckovVenv()): void {
  const digest = requirementsDigest();
  const stamp = join(venv, STAMP_FILE);
  if (existsSync(join(venv, "bin", "checkov")) && existsSync(stamp) && readFileSync(stamp, "utf8") === digest) return;
  log(`creating ${venv} with checkov ${pinnedCheckovVersion()} and its pinned dependencies (once)`);
  const python = process.env.PYTHON || "python3";
  const steps: [string, string[]][] = [
    [python, ["-m", "venv", "--clear", venv]],
    [join(venv, "bin", "pip"), ["install", "--quiet", "--disable-pip-version-check", "-r", REQUIREMENTS]],
  ];
  for (const [command, args] of steps) {
    const result = spawnSync(command, args, { cwd: __dirname, stdio: "inherit" });
    if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (exit ${result.status})`);
  }
  writeFileSync(stamp, digest);
}

/** What cdktf's `manifest.json` says of a stack (the fields we read). */
interface ManifestStack {
  readonly synthesizedStackPath: string;
  readonly annotations?: readonly {
    readonly level: string;
    readonly constructPath: string;
    readonly message: string;
  }[];
}

function manifestOf(outdir: string): Record<string, ManifestStack> {
  const manifestPath = join(outdir, "manifest.json");
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: synthesize the app first`);
  return (JSON.parse(readFileSync(manifestPath, "utf8")) as { stacks: Record<string, ManifestStack> }).stacks;
}

/** The stacks an app synthesized into `outdir`, from its manifest; stale folders are an error. */
export function synthesizedStacks(outdir: string): string[] {
  const stacks = Object.keys(manifestOf(outdir)).sort();
  const onDisk = readdirSync(join(outdir, "stacks")).sort();
  if (onDisk.join() !== stacks.join()) {
    throw new Error(
      `${outdir}/stacks holds ${onDisk.join(", ")} but its manifest lists ${stacks.join(", ")}: synthesize again`,
    );
  }
  return stacks;
}

/** A synthesized stack's JSON. */
function stackJson(outdir: string, stack: string): unknown {
  return JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8"));
}

/**
 * The checkov skips that the guardrails derived from the suppressions while they synthesized `outdir` (each stack's
 * record holds its own), so that checkov and the guardrails accept exactly the same exceptions.
 */
export function checkovSkipsOf(outdir: string): readonly CheckovSkip[] {
  return synthesizedStacks(outdir).flatMap((stack) => recordOf(stackJson(outdir, stack))?.checkovSkips ?? []);
}

/**
 * Why a synthesized app must not pass the scan, whatever checkov says: no stack at all, a stack the guardrails never
 * saw or never ran on, guardrail errors the synth went on past, or error annotations in cdktf's manifest. Each
 * message names the stack and the way around the guardrails. Empty when every stack carries a passing record.
 */
export function guardrailsGate(outdir: string): string[] {
  const manifest = manifestOf(outdir);
  const stacks = synthesizedStacks(outdir);
  if (stacks.length === 0) return [`${outdir} holds no synthesized stack: there is nothing the guardrails passed`];
  const problems: string[] = [];
  for (const stack of stacks) {
    const problem = recordProblem(stack, recordOf(stackJson(outdir, stack)));
    if (problem) problems.push(problem);
    const errors = (manifest[stack].annotations ?? []).filter((a) => a.level === "@cdktf/error");
    if (errors.length > 0 && !problem) {
      problems.push(
        `stack ${stack}: cdktf recorded ${errors.length} error annotation(s) that the synth went on past (CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS): ${errors[0].constructPath}: ${errors[0].message.split("\n")[0]}`,
      );
    }
  }
  return problems;
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
  /** The venv holding the pinned checkov. Default: {@link defaultCheckovVenv}. */
  readonly venv?: string;
}

/** A finished scan: the outcome and checkov's own console report. */
export interface CheckovScan {
  readonly stacks: readonly string[];
  readonly outcome: ScanOutcome;
  readonly console: string;
}

/** checkov's raw results of one run, and its console report. */
export interface CheckovRun {
  readonly report: CheckovReport;
  readonly console: string;
}

/**
 * Runs the pinned checkov once over every `cdk.tf.json` below `scanRoot` (`--framework terraform_json`, the custom
 * checks from policies/checkov/checks) and writes its `results_cli.txt`, `results_json.json` and
 * `results_sarif.sarif` into `reportDir` (emptied first). `file_path` of each result is relative to `scanRoot`.
 */
export async function runCheckov(
  scanRoot: string,
  reportDir: string,
  venv = defaultCheckovVenv(),
): Promise<CheckovRun> {
  rmSync(reportDir, { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  const args = ["--config-file", CONFIG, "-d", scanRoot, "--output-file-path", reportDir];
  args.push("-o", "cli", "-o", "json", "-o", "sarif");
  if (existsSync(CUSTOM_CHECKS)) args.push("--external-checks-dir", CUSTOM_CHECKS);
  // CKV_SMD_4 reads the stack around a namespace: it finds the file under this root (checkov names it relative to it).
  const env = { ...process.env, SMD_CHECKOV_ROOT: resolve(scanRoot) };
  // Asynchronous, so that a caller can scan several apps at once (checkov is single-threaded).
  const status = await new Promise<number | null>((done, fail) => {
    const child = spawn(join(venv, "bin", "checkov"), args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", fail);
    child.on("close", (code) => {
      if (code === 0 || code === 1) done(code);
      else fail(new Error(`checkov failed to run (exit ${code}):\n${output}`));
    });
  });
  if (status === null) throw new Error("checkov did not run");
  const raw = JSON.parse(readFileSync(join(reportDir, "results_json.json"), "utf8")) as CheckovReport | CheckovReport[];
  const report = (Array.isArray(raw) ? raw : [raw]).find((r) => r.check_type === "terraform_json");
  if (!report) throw new Error(`checkov reported no terraform_json results for ${scanRoot}: nothing was scanned`);
  return { report, console: readFileSync(join(reportDir, "results_cli.txt"), "utf8") };
}

/**
 * Runs the pinned checkov over every stack of a synthesized app (see {@link runCheckov}), applies the register, and
 * writes `results_cli.txt`, `results_json.json` (checkov's own), `results_sarif.sarif` (suppressed results marked with
 * their reason) and `results_junitxml.xml`.
 */
export async function runCheckovScan(options: CheckovScanOptions): Promise<CheckovScan> {
  const stacks = synthesizedStacks(options.outdir);
  const { report, console } = await runCheckov(join(options.outdir, "stacks"), options.reportDir, options.venv);
  const outcome = applySuppressions(report, options.skips ?? checkovSkipsOf(options.outdir));
  const sarifPath = join(options.reportDir, "results_sarif.sarif");
  const sarif = JSON.parse(readFileSync(sarifPath, "utf8")) as SarifLog;
  annotateSarif(sarif, outcome.suppressed);
  writeFileSync(sarifPath, `${JSON.stringify(sarif, null, 2)}\n`);
  writeFileSync(join(options.reportDir, "results_junitxml.xml"), toJUnit(outcome, options.suiteName));
  return { stacks, outcome, console };
}
