import type { CheckovSkip, Finding } from "./evaluate";

/**
 * The guardrails' verdict on one stack, written into the stack's own `cdk.tf.json` under the comment key
 * `"//".smd_guardrails` (Terraform ignores `//` keys). It travels with the synthesized stack, so that the scan can
 * refuse a stack the guardrails never judged, or judged and failed, however the synth was made to finish.
 */
export interface GuardrailsRecord {
  /** Always `smd-guardrails`. */
  readonly tool: "smd-guardrails";
  /**
   * - `not-evaluated`: the guardrails were applied but their evaluation never ran (`new App({ skipValidation: true })`);
   * - `failed`: the evaluation found errors, and the synth went on (`CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS`);
   * - `passed`: no error finding is left.
   */
  readonly status: "not-evaluated" | "failed" | "passed";
  /** The guardrail profile (`platform` or `workload`). */
  readonly profile: string;
  /** The rule packs that ran. */
  readonly packs: readonly string[];
  /** Rule evaluations made. */
  readonly checks: number;
  /** Error findings no suppression accepts. */
  readonly errors: number;
  /** Warning findings no suppression accepts. */
  readonly warnings: number;
  /** Findings a suppression accepts. */
  readonly suppressed: number;
  /** The error findings no suppression accepts. */
  readonly errorFindings: readonly { readonly ruleId: string; readonly path: string; readonly address: string }[];
  /** What checkov must skip in this stack: the same suppressions the guardrails accepted. */
  readonly checkovSkips: readonly CheckovSkip[];
}

/** The key under the stack's `//` comment object. */
export const RECORD_KEY = "smd_guardrails";
/** The record's `tool`. */
export const RECORD_TOOL = "smd-guardrails";

/** The record a stack carries from the moment the guardrails are applied until they run. */
export function pendingRecord(profile: string, packs: readonly string[]): GuardrailsRecord {
  return {
    tool: RECORD_TOOL,
    status: "not-evaluated",
    profile,
    packs,
    checks: 0,
    errors: 0,
    warnings: 0,
    suppressed: 0,
    errorFindings: [],
    checkovSkips: [],
  };
}

/** The record of a finished evaluation. */
export function evaluatedRecord(
  profile: string,
  packs: readonly string[],
  checks: number,
  findings: readonly Finding[],
  checkovSkips: readonly CheckovSkip[],
): GuardrailsRecord {
  const open = findings.filter((f) => !f.suppressedBy);
  const errors = open.filter((f) => f.level === "error");
  return {
    tool: RECORD_TOOL,
    status: errors.length > 0 ? "failed" : "passed",
    profile,
    packs,
    checks,
    errors: errors.length,
    warnings: open.length - errors.length,
    suppressed: findings.length - open.length,
    errorFindings: errors.map((f) => ({ ruleId: f.ruleId, path: f.path, address: f.address })),
    checkovSkips,
  };
}

/** The record in a synthesized stack's JSON, if it has one. */
export function recordOf(stackJson: unknown): GuardrailsRecord | undefined {
  const comment = (stackJson as { "//"?: Record<string, unknown> } | undefined)?.["//"];
  const record = comment?.[RECORD_KEY] as GuardrailsRecord | undefined;
  return record?.tool === RECORD_TOOL ? record : undefined;
}

/**
 * Why a synthesized stack must not pass a scan, or undefined when its record says the guardrails ran and passed.
 * Each message names the way the guardrails were got around.
 */
export function recordProblem(stack: string, record: GuardrailsRecord | undefined): string | undefined {
  if (!record) {
    return `stack ${stack} carries no guardrails record: the guardrails never saw it. Call Guardrails.applyTo(stack) for every stack (a stack synthesized without them cannot pass the scan)`;
  }
  if (record.status === "not-evaluated") {
    return `stack ${stack}: the guardrails were applied but never ran: the app was synthesized with validations off (new App({ skipValidation: true }) or a synth that skips cdktf's validations). Synthesize with validations on`;
  }
  if (record.status === "failed" || record.errors > 0) {
    const rules = [...new Set(record.errorFindings.map((f) => f.ruleId))].sort().join(", ");
    return `stack ${stack}: ${record.errors} guardrail error(s) (${rules}) were let through: the synth went on past them (CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS, or a synthWithGuardrails failure that was ignored). Fix the findings or suppress them with a reason`;
  }
  if (record.status !== "passed") return `stack ${stack}: unknown guardrails status ${JSON.stringify(record.status)}`;
  return undefined;
}
