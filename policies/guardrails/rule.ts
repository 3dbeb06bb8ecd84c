import type { GuardrailsProfile } from "./profiles";
import { isReference, type StackElement, type StackIndex } from "./stack-index";

/** How a finding affects the build: an `error` fails synth, a `warning` is printed and reported. */
export type FindingLevel = "error" | "warning";

/** Which elements a rule looks at: resources or data sources of a type, providers, backends or outputs. */
export interface RuleTarget {
  /** Resources, data sources, providers, backends or outputs. */
  readonly kind: StackElement["kind"];
  /** Element types; leave out for every element of the kind. */
  readonly types?: readonly string[];
}

/** One synth-time guardrail. */
export interface Rule {
  /** Stable ID, `SMD-<AREA>-<n>`. */
  readonly id: string;
  /** What the rule demands, in one line. */
  readonly title: string;
  /** `error` fails synth; `warning` is printed and reported. */
  readonly level: FindingLevel;
  /** IDs of the controls (`CONTROLS`) it enforces. */
  readonly controls: readonly string[];
  /** checkov checks it mirrors, whose skips follow its suppressions. Default: none. */
  readonly checkov?: readonly string[];
  /** False for rules no reason can excuse (a public model bucket, `*` on `*`). Default: true. */
  readonly suppressible?: boolean;
  /** What to change to comply. */
  readonly fix: string;
  /** The guardrail profiles that hold the rule (`platform`, `workload`). Default: every profile. */
  readonly profiles?: readonly GuardrailsProfile[];
  /** The elements the rule checks. */
  readonly targets: readonly RuleTarget[];
  /**
   * Whether the rule concerns a targeted element at all (a model-store rule and a bucket that holds no models). An
   * element it does not concern gets no evaluation, so the controls matrix never counts it as satisfying the rule.
   * Default: every targeted element.
   */
  applies?(element: StackElement, index: StackIndex): boolean;
  /** The problems of one element: empty when it complies. */
  check(element: StackElement, index: StackIndex): string[];
}

/** A named, ordered set of rules. */
export interface RulePack {
  /** The pack's name, in the reports. */
  readonly name: string;
  /** Its rules, in the order they run. */
  readonly rules: readonly Rule[];
}

/** True when a rule looks at an element. */
export function targets(rule: Rule, element: StackElement): boolean {
  return rule.targets.some((t) => t.kind === element.kind && (t.types === undefined || t.types.includes(element.type)));
}

/**
 * The problem of a value that is a `${...}` reference where a rule needs a literal: the reference counts as present,
 * but the rule cannot know its value at synth time, so it never passes.
 */
export function unverified(attribute: string, value: unknown): string {
  return `${attribute} is the reference ${String(value)}, which cannot be verified`;
}

/**
 * Checks that an attribute holds one literal value. A `${...}` reference counts as present but never passes: the
 * rule cannot know the value at synth time. Returns the problem, or undefined when the value is the one required.
 */
export function requireLiteral(config: Readonly<Record<string, unknown>>, attribute: string, expected: unknown) {
  const value = config[attribute];
  const want = JSON.stringify(expected);
  if (value === undefined || value === null) return `${attribute} is not set (must be ${want})`;
  if (isReference(value)) return `${unverified(attribute, value)} (must be ${want})`;
  if (value !== expected) return `${attribute} is ${JSON.stringify(value)} (must be ${want})`;
  return undefined;
}

/** The problems that are set, dropping the undefined ones. */
export function problems(...list: (string | undefined)[]): string[] {
  return list.filter((p): p is string => p !== undefined);
}
