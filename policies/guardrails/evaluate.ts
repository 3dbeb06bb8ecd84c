import { type FindingLevel, type Rule, targets } from "./rule";
import type { StackIndex } from "./stack-index";
import { isCheckovId, pathMatches, type Suppression, type SuppressionOrigin } from "./suppression";

/** The rule ID of the finding an unused suppression becomes. */
export const UNUSED_SUPPRESSION_ID = "SMD-GUARD-1";

/** The rule ID of the finding a stack gets when it holds resources and no rule checked any of them. */
export const NOTHING_CHECKED_ID = "SMD-GUARD-2";

/** A suppression as one stack sees it: where it came from and which constructs it matched. */
export interface AppliedSuppression extends Suppression {
  /** Where it was recorded: the register or a construct. */
  readonly origin: SuppressionOrigin;
  /** The construct paths of this stack that it matched. */
  readonly matched: readonly string[];
}

/** One thing a rule found. */
export interface Finding {
  /** The rule that found it. */
  readonly ruleId: string;
  /** `error` (fails synth) or `warning`. */
  readonly level: FindingLevel;
  /** The stack it is in. */
  readonly stack: string;
  /** Construct path of the offending element. */
  readonly path: string;
  /** Terraform address of the offending element. */
  readonly address: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
  /** Controls the rule enforces. */
  readonly controls: readonly string[];
  /** The suppression that accepts it, if one does. */
  readonly suppressedBy?: AppliedSuppression;
}

/** The outcome of one rule on one element, for the controls matrix. */
export interface Evaluation {
  /** The rule. */
  readonly ruleId: string;
  /** The element's Terraform address. */
  readonly address: string;
  /** The element's construct path. */
  readonly path: string;
  /** What came of it. */
  readonly outcome: "pass" | "fail" | "suppressed";
}

/** A checkov check to skip on one resource, because a suppression accepts it. */
export interface CheckovSkip {
  /** The stack the resource is in. */
  readonly stack: string;
  /** Terraform address, `<type>.<name>`. */
  readonly resource: string;
  /** The checkov check skipped. */
  readonly checkId: string;
  /** The suppression's reason. */
  readonly reason: string;
  /** Identifies the suppression (`<origin> <path> <ruleId>`), so that the scan can tell whether it was used. */
  readonly suppression: string;
  /** True when the suppression names this checkov check itself (it must then suppress something). */
  readonly required: boolean;
}

/** Everything the rules found in one stack. */
export interface StackResult {
  /** The stack's name. */
  readonly stack: string;
  /** Every finding, suppressed ones included. */
  readonly findings: readonly Finding[];
  /** Every rule's outcome on every element it checked. */
  readonly evaluations: readonly Evaluation[];
  /** The suppressions that apply to the stack. */
  readonly suppressions: readonly AppliedSuppression[];
  /** What checkov must skip in the stack, from the same suppressions. */
  readonly checkovSkips: readonly CheckovSkip[];
}

/** Raised for a suppression that cannot stand: it matches no construct, names an unknown or unsuppressible rule. */
export class GuardrailsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GuardrailsError";
  }
}

/** A label for a suppression, used in messages and to track its use. */
export function suppressionLabel(s: Suppression & { origin: SuppressionOrigin }): string {
  return `${s.origin} suppression of ${s.ruleId} on ${s.path}${s.applyToChildren ? " (and children)" : ""}`;
}

function covers(s: AppliedSuppression, ruleId: string, path: string): boolean {
  if (s.ruleId !== ruleId) return false;
  return s.matched.some((m) => m === path || (s.applyToChildren === true && path.startsWith(`${m}/`)));
}

/**
 * Resolves suppressions against one stack's construct paths. A suppression whose first path segment matches the
 * stack but no construct is an error, as is one for a rule that is unknown or cannot be suppressed.
 */
export function applySuppressions(
  stack: string,
  constructPaths: readonly string[],
  entries: readonly (Suppression & { origin: SuppressionOrigin })[],
  rules: ReadonlyMap<string, Rule>,
): AppliedSuppression[] {
  const applied: AppliedSuppression[] = [];
  for (const entry of entries) {
    const stackSegment = entry.path.split("/")[0];
    if (!pathMatches(stackSegment, stack)) continue;
    const rule = rules.get(entry.ruleId);
    if (!rule && !isCheckovId(entry.ruleId)) {
      throw new GuardrailsError(
        `${suppressionLabel(entry)}: ruleId = ${JSON.stringify(entry.ruleId)} is not allowed; use a rule of the applied packs (${[...rules.keys()].join(", ")}) or a checkov ID`,
      );
    }
    if (rule && rule.suppressible === false) {
      throw new GuardrailsError(
        `${suppressionLabel(entry)}: rule ${rule.id} (${rule.title}) cannot be suppressed; fix the resource instead: ${rule.fix}`,
      );
    }
    const matched = constructPaths.filter((p) => pathMatches(entry.path, p));
    if (matched.length === 0) {
      throw new GuardrailsError(
        `${suppressionLabel(entry)}: path = ${JSON.stringify(entry.path)} matches no construct of stack ${stack}; give the path of an existing construct`,
      );
    }
    applied.push({ ...entry, matched });
  }
  return applied;
}

/** Runs every rule over every element it targets and applies the suppressions. */
export function evaluateStack(
  index: StackIndex,
  rules: readonly Rule[],
  suppressions: readonly AppliedSuppression[],
): StackResult {
  const findings: Finding[] = [];
  const evaluations: Evaluation[] = [];
  const used = new Set<AppliedSuppression>();
  const skips: CheckovSkip[] = [];
  for (const rule of rules) {
    for (const element of index.elements) {
      if (!targets(rule, element) || (rule.applies && !rule.applies(element, index))) continue;
      const problems = rule.check(element, index);
      if (problems.length === 0) {
        evaluations.push({ ruleId: rule.id, address: element.address, path: element.path, outcome: "pass" });
        continue;
      }
      const suppressedBy = suppressions.find((s) => covers(s, rule.id, element.path));
      if (suppressedBy) {
        used.add(suppressedBy);
        for (const checkId of rule.checkov ?? []) {
          if (element.kind !== "resource") continue;
          skips.push({
            stack: index.stack,
            resource: element.address,
            checkId,
            reason: suppressedBy.reason,
            suppression: suppressionLabel(suppressedBy),
            required: false,
          });
        }
      }
      evaluations.push({
        ruleId: rule.id,
        address: element.address,
        path: element.path,
        outcome: suppressedBy ? "suppressed" : "fail",
      });
      findings.push({
        ruleId: rule.id,
        level: rule.level,
        stack: index.stack,
        path: element.path,
        address: element.address,
        message: `${rule.id} ${rule.title}: ${problems.join("; ")}. Fix: ${rule.fix}`,
        controls: rule.controls,
        suppressedBy,
      });
    }
  }
  for (const s of suppressions) {
    if (isCheckovId(s.ruleId)) {
      // A checkov-only suppression: skip the check on every resource of the matched constructs; the scan
      // reports it if none of them fails the check.
      const resources = index.all("resource").filter((element) => covers(s, s.ruleId, element.path));
      if (resources.length === 0) {
        const below = index.all("resource").some((e) => s.matched.some((m) => e.path.startsWith(`${m}/`)));
        findings.push(
          unused(
            index.stack,
            s,
            below
              ? "checkov judges Terraform resources, and the construct it names is not one: name the resource below it (a SecureBucket's `.resource`, a KmsKey's `.resource`), or pass { applyToChildren: true } to skip the check on every resource below"
              : "its constructs hold no Terraform resource for checkov to check",
          ),
        );
      }
      for (const element of resources) {
        skips.push({
          stack: index.stack,
          resource: element.address,
          checkId: s.ruleId,
          reason: s.reason,
          suppression: suppressionLabel(s),
          required: true,
        });
      }
      continue;
    }
    if (!used.has(s)) findings.push(unused(index.stack, s, "it accepts no finding"));
  }
  const nothingChecked = uncheckedStack(index, evaluations);
  if (nothingChecked) findings.push(nothingChecked);
  return { stack: index.stack, findings, evaluations, suppressions, checkovSkips: skips };
}

/**
 * A stack that holds resources of which no rule checked one proves nothing: the packs or the profile do not cover it,
 * or the guardrails could not see its resources. That is an error, never a pass.
 */
function uncheckedStack(index: StackIndex, evaluations: readonly Evaluation[]): Finding | undefined {
  const resources = index.all("resource");
  if (resources.length === 0) return undefined;
  const checked = new Set(evaluations.map((e) => e.address));
  if (resources.some((r) => checked.has(r.address))) return undefined;
  const types = [...new Set(resources.map((r) => r.type))].sort();
  return {
    ruleId: NOTHING_CHECKED_ID,
    level: "error",
    stack: index.stack,
    path: index.stack,
    address: "",
    message: `${NOTHING_CHECKED_ID} Nothing checked: the stack holds ${resources.length} resource(s) (${types.join(", ")}) and no rule of the applied packs and profile checked any of them. Fix: apply the pack and profile that cover these resource types, or add rules for them`,
    controls: [],
  };
}

function unused(stack: string, s: AppliedSuppression, why: string): Finding {
  return {
    ruleId: UNUSED_SUPPRESSION_ID,
    level: "error",
    stack,
    path: s.matched[0],
    address: "",
    message: `${UNUSED_SUPPRESSION_ID} Unused suppression: the ${suppressionLabel(s)} is not needed: ${why}. Fix: remove it, or correct its path or rule ID`,
    controls: [],
  };
}
