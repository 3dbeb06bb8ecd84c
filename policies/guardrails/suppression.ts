/**
 * Suppressions: a finding that is accepted on one construct (optionally its children), for one rule, with a
 * reason of real content. One register feeds the guardrails and the checkov skips.
 */

/** An accepted finding. */
export interface Suppression {
  /**
   * Construct path of the construct it applies to (`platform-prod/ModelStore/LogBucket`). `*` matches within one
   * path segment, so `platform-*` covers the platform stack of every environment.
   */
  readonly path: string;
  /**
   * The rule suppressed: a guardrail rule ID (`SMD-S3-4`), whose mirrored checkov checks are skipped with it, or a
   * checkov ID (`CKV_AWS_144`) for a checkov check that no guardrail mirrors.
   */
  readonly ruleId: string;
  /** Why the finding is accepted: what compensates for it, or why the rule does not apply. 20+ characters. */
  readonly reason: string;
  /** Also suppress the rule on every construct below `path`. Default: false. */
  readonly applyToChildren?: boolean;
}

/** Where a suppression was recorded: the central register, or a construct in code. */
export type SuppressionOrigin = "register" | "construct";

/** Minimum length of a reason, counting letters and digits only. */
export const MIN_REASON_LENGTH = 20;

const PLACEHOLDERS =
  /^(todo|tbd|fixme|n\/?a|none|ignore|ignored|false positive|not needed|not applicable|wip|temp|temporary|suppressed|accepted|reviewed|approved|ok|test|testing)$/i;
const GUARDRAIL_ID = /^[A-Z][A-Z0-9]*-[A-Z0-9]+-\d+$/;
const CHECKOV_ID = /^CKV2?_[A-Z0-9]+_\d+$/;

/** True for a checkov check ID (`CKV_AWS_18`, `CKV2_AWS_6`, `CKV_SMD_1`). */
export function isCheckovId(id: string): boolean {
  return CHECKOV_ID.test(id);
}

/**
 * Why a reason is not good enough, or undefined when it is: 20 letters or digits at least, three words or more,
 * not a placeholder ("TODO", "false positive") and not one character repeated.
 */
export function reasonProblem(reason: string): string | undefined {
  const text = reason.trim().replace(/\s+/g, " ");
  const content = text.replace(/[^A-Za-z0-9]/g, "");
  const words = text.split(" ").filter((w) => /[A-Za-z]{2,}/.test(w));
  if (
    content.length < MIN_REASON_LENGTH ||
    words.length < 3 ||
    new Set(content.toLowerCase()).size < 6 ||
    PLACEHOLDERS.test(text.replace(/[.!]+$/, ""))
  ) {
    return `reason = ${JSON.stringify(reason)} is not allowed; say what compensates for the finding or why the rule does not apply (${MIN_REASON_LENGTH}+ letters or digits, three words or more, not a placeholder)`;
  }
  return undefined;
}

/** Why a rule ID cannot name a suppression, or undefined when its form is right. */
export function ruleIdProblem(ruleId: string): string | undefined {
  if (GUARDRAIL_ID.test(ruleId) || CHECKOV_ID.test(ruleId)) return undefined;
  return `ruleId = ${JSON.stringify(ruleId)} is not allowed; use a guardrail rule ID such as SMD-S3-4 or a checkov ID such as CKV_AWS_144`;
}

/** Problems with one register entry's fields (path, rule ID, reason); empty when all is well. */
export function suppressionProblems(s: Suppression): string[] {
  const problems: string[] = [];
  if (!/^[A-Za-z0-9*_.-]+(\/[A-Za-z0-9*_.-]+)*$/.test(s.path)) {
    problems.push(
      `path = ${JSON.stringify(s.path)} is not allowed; use a construct path such as platform-prod/ModelStore/LogBucket`,
    );
  }
  const idProblem = ruleIdProblem(s.ruleId);
  if (idProblem) problems.push(idProblem);
  const reason = reasonProblem(s.reason);
  if (reason) problems.push(reason);
  return problems;
}

/** True when a construct path matches a suppression path (`*` within one segment). */
export function pathMatches(pattern: string, path: string): boolean {
  const a = pattern.split("/");
  const b = path.split("/");
  return a.length === b.length && a.every((segment, i) => segmentMatches(segment, b[i]));
}

/** True when one path segment matches a pattern segment with `*`. */
export function segmentMatches(pattern: string, segment: string): boolean {
  const regex = new RegExp(`^${pattern.split("*").map(escapeRegex).join(".*")}$`);
  return regex.test(segment);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
