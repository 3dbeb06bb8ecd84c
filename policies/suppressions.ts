import type { Suppression } from "./guardrails/suppression";

/**
 * The blueprint's suppression register: every finding it accepts, on a construct path, with the rule and a reason
 * of real content. The guardrails apply it to every stack, and the checkov skips are derived from it (a guardrail
 * rule's suppression skips the checkov checks it mirrors on the same resources), so there is one list of
 * exceptions. Constructs may record their own with `Guardrails.suppress`; the README lists every one in force.
 *
 * Empty: the blueprint's stacks pass every rule and every checkov check.
 */
export const SUPPRESSIONS: readonly Suppression[] = [];
