/**
 * The one suppression register. checkov has no inline skip for `.tf.json`, so every accepted finding is listed
 * here with the resource it applies to and a reason of real content; `npm run scan` turns the register into a
 * checkov baseline, and fails on an entry that no longer suppresses anything. The README lists every entry.
 */
export interface Suppression {
  /** Stack name (`platform-prod`) or a pattern with `*` (`platform-*`). */
  readonly stack: string;
  /** Terraform address of the resource, `<type>.<name>`, e.g. `aws_kms_key.LogsKey_EF69D5C9`. */
  readonly resource: string;
  /** The check suppressed, e.g. `CKV_AWS_18`. */
  readonly checkId: string;
  /** Why the finding is accepted: what compensates for it, or why the check does not apply here. */
  readonly reason: string;
}

/** Every suppression in force. Empty: the blueprint passes every checkov check it is scanned with. */
export const SUPPRESSIONS: readonly Suppression[] = [];

const ADDRESS = /^[a-z0-9_]+\.[A-Za-z0-9_-]+$/;
const CHECK_ID = /^CKV2?_[A-Z0-9]+_\d+$/;
const STACK = /^[a-z0-9*][a-z0-9*-]*$/;
const EMPTY_REASONS = /^(todo|tbd|n\/?a|none|ignore|ignored|false positive|not needed|wip|temp|temporary)\.?$/i;

/** Minimum length of a reason: a sentence that says what compensates, not a word. */
export const MIN_REASON_LENGTH = 40;

/** Problems with the register's entries (malformed fields, empty reasons, duplicates); empty when all is well. */
export function registerProblems(register: readonly Suppression[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  register.forEach((s, i) => {
    const at = `suppression #${i + 1} (${s.stack} ${s.resource} ${s.checkId})`;
    if (!STACK.test(s.stack)) problems.push(`${at}: stack must be a stack name or a pattern with *`);
    if (!ADDRESS.test(s.resource)) problems.push(`${at}: resource must be a Terraform address <type>.<name>`);
    if (!CHECK_ID.test(s.checkId)) problems.push(`${at}: checkId must be a checkov ID such as CKV_AWS_18`);
    const reason = s.reason.trim();
    if (reason.length < MIN_REASON_LENGTH || EMPTY_REASONS.test(reason)) {
      problems.push(
        `${at}: reason must say what compensates or why the check does not apply (${MIN_REASON_LENGTH}+ characters)`,
      );
    }
    const key = `${s.stack}|${s.resource}|${s.checkId}`;
    if (seen.has(key)) problems.push(`${at}: duplicate entry`);
    seen.add(key);
  });
  return problems;
}

/** True when a stack name matches an entry's `stack` (exact, or a pattern with `*`). */
export function stackMatches(pattern: string, stack: string): boolean {
  const regex = new RegExp(`^${pattern.split("*").map(escapeRegex).join(".*")}$`);
  return regex.test(stack);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
