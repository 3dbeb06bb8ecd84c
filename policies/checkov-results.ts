import type { CheckovSkip } from "./guardrails/evaluate";

/** One check result as checkov's JSON output reports it (the fields we read). */
export interface CheckovResult {
  readonly check_id: string;
  readonly check_name?: string;
  /** `resource.<name>` for per-resource checks of `.tf.json` files, `<type>.<name>` for graph checks. */
  readonly resource: string;
  /** Relative to the scanned folder: `/<stack>/cdk.tf.json`. */
  readonly file_path: string;
  readonly file_line_range?: readonly number[];
}

/** checkov's JSON output for one framework. */
export interface CheckovReport {
  readonly check_type: string;
  readonly results: {
    readonly passed_checks?: readonly CheckovResult[];
    readonly failed_checks?: readonly CheckovResult[];
    readonly skipped_checks?: readonly CheckovResult[];
  };
  readonly summary: { readonly parsing_errors: number };
}

/** A failed check that the register accepts. */
export interface SuppressedResult {
  readonly result: CheckovResult;
  readonly skip: CheckovSkip;
}

/** What a scan found once the register is applied. */
export interface ScanOutcome {
  readonly passed: readonly CheckovResult[];
  /** Failures the register does not cover: each one fails the build. */
  readonly failed: readonly CheckovResult[];
  readonly suppressed: readonly SuppressedResult[];
  readonly parsingErrors: number;
  /** Suppressions naming a checkov check that matched no failure: the finding is gone, or the entry is wrong. */
  readonly unusedSuppressions: readonly string[];
}

/** The stack a result belongs to, from its file path (`/<stack>/cdk.tf.json`). */
export function stackOf(result: CheckovResult): string {
  const parts = result.file_path.split("/").filter(Boolean);
  return parts.length >= 2 ? parts[parts.length - 2] : "";
}

/** The resource's name, whichever way checkov spelled its address. */
function resourceName(address: string): string {
  return address.slice(address.indexOf(".") + 1);
}

/** The resource's type when checkov spelled it (graph checks), else undefined. */
function resourceType(address: string): string | undefined {
  const type = address.slice(0, address.indexOf("."));
  return type === "resource" ? undefined : type;
}

function covers(s: CheckovSkip, r: CheckovResult): boolean {
  if (s.checkId !== r.check_id || s.stack !== stackOf(r)) return false;
  const type = resourceType(r.resource);
  if (type !== undefined && type !== s.resource.slice(0, s.resource.indexOf("."))) return false;
  return resourceName(s.resource) === resourceName(r.resource);
}

/**
 * Splits checkov's failures into accepted ones (covered by a skip the suppression register yields for that stack,
 * resource and check) and real ones, and finds the suppressions naming a checkov check that covered nothing.
 */
export function applySuppressions(report: CheckovReport, skips: readonly CheckovSkip[]): ScanOutcome {
  const failed: CheckovResult[] = [];
  const suppressed: SuppressedResult[] = [];
  const used = new Set<string>();
  for (const result of report.results.failed_checks ?? []) {
    const skip = skips.find((s) => covers(s, result));
    if (skip) {
      suppressed.push({ result, skip });
      used.add(skip.suppression);
    } else {
      failed.push(result);
    }
  }
  const required = new Set(skips.filter((s) => s.required).map((s) => s.suppression));
  return {
    passed: report.results.passed_checks ?? [],
    failed,
    suppressed,
    parsingErrors: report.summary.parsing_errors,
    unusedSuppressions: [...required].filter((label) => !used.has(label)),
  };
}

interface SarifResult {
  ruleId?: string;
  locations?: { physicalLocation?: { artifactLocation?: { uri?: string }; region?: { startLine?: number } } }[];
  suppressions?: { kind: string; status: string; justification: string }[];
}

/** A SARIF log (the fields we touch). */
export interface SarifLog {
  runs: { results?: SarifResult[] }[];
}

/**
 * Marks the SARIF results that the register accepts as suppressed (SARIF's own `suppressions` field, which code
 * scanning shows as dismissed with the reason), matching on check, file and first line.
 */
export function annotateSarif(sarif: SarifLog, suppressed: readonly SuppressedResult[]): number {
  let marked = 0;
  for (const run of sarif.runs) {
    for (const result of run.results ?? []) {
      const location = result.locations?.[0]?.physicalLocation;
      const uri = location?.artifactLocation?.uri ?? "";
      const line = location?.region?.startLine;
      const match = suppressed.find(
        (s) =>
          s.result.check_id === result.ruleId &&
          uri.endsWith(s.result.file_path.replace(/^\//, "")) &&
          s.result.file_line_range?.[0] === line,
      );
      if (match) {
        result.suppressions = [{ kind: "external", status: "accepted", justification: match.skip.reason }];
        marked += 1;
      }
    }
  }
  return marked;
}

function xml(text: string): string {
  return text.replace(
    /[<>&"']/g,
    (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!,
  );
}

/**
 * A JUnit report of the scan: a test suite per stack, a test case per check and resource; real failures as
 * `<failure>`, accepted ones as `<skipped>` with the register's reason.
 */
export function toJUnit(outcome: ScanOutcome, suiteName: string): string {
  type Case = { result: CheckovResult; status: "passed" | "failed" | "suppressed"; reason?: string };
  const cases: Case[] = [
    ...outcome.passed.map((result) => ({ result, status: "passed" as const })),
    ...outcome.failed.map((result) => ({ result, status: "failed" as const })),
    ...outcome.suppressed.map((s) => ({
      result: s.result,
      status: "suppressed" as const,
      reason: s.skip.reason,
    })),
  ];
  const byStack = new Map<string, Case[]>();
  for (const c of cases) {
    const stack = stackOf(c.result);
    byStack.set(stack, [...(byStack.get(stack) ?? []), c]);
  }
  const suites = [...byStack.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([stack, list]) => {
      list.sort((a, b) =>
        `${a.result.check_id} ${a.result.resource}`.localeCompare(`${b.result.check_id} ${b.result.resource}`),
      );
      const failures = list.filter((c) => c.status === "failed").length;
      const skipped = list.filter((c) => c.status === "suppressed").length;
      const body = list
        .map((c) => {
          const name = xml(`${c.result.check_id} ${c.result.resource}`);
          const open = `    <testcase classname="${xml(`${suiteName}.${stack}`)}" name="${name}" file="${xml(c.result.file_path)}">`;
          if (c.status === "failed") {
            return `${open}\n      <failure message="${xml(c.result.check_name ?? c.result.check_id)}" type="${xml(c.result.check_id)}"/>\n    </testcase>`;
          }
          if (c.status === "suppressed") {
            return `${open}\n      <skipped message="${xml(`suppressed: ${c.reason ?? ""}`)}"/>\n    </testcase>`;
          }
          return `${open}</testcase>`;
        })
        .join("\n");
      return `  <testsuite name="${xml(`${suiteName}.${stack}`)}" tests="${list.length}" failures="${failures}" skipped="${skipped}" errors="0">\n${body}\n  </testsuite>`;
    });
  const total = cases.length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(suiteName)}" tests="${total}" failures="${outcome.failed.length}" skipped="${outcome.suppressed.length}" errors="0">\n${suites.join("\n")}\n</testsuites>\n`;
}
