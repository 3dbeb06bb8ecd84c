import type { Rule, RulePack } from "./rule";

/**
 * Which rules apply to a stack:
 * - `platform`: a stack that owns an account's baseline, a cluster or an edge (the blueprint's own stacks): every rule
 *   but the workload ones;
 * - `workload`: an app team's stack on a shared platform: the rules about account-wide singletons (GuardDuty's
 *   detector, CloudTrail, the account's public-access block, EBS encryption by default, Config, Security Hub) are
 *   checked where the platform's baseline keeps them, and SMD-WL-1 keeps such singletons out of the app's stack.
 */
export type GuardrailsProfile = "platform" | "workload";
/** The values {@link GuardrailsProfile} takes. */
export const PROFILES: readonly GuardrailsProfile[] = ["platform", "workload"];
export const DEFAULT_PROFILE: GuardrailsProfile = "platform";

/** The profiles a rule belongs to (every profile unless it names some). */
export function profilesOf(rule: Rule): readonly GuardrailsProfile[] {
  return rule.profiles ?? PROFILES;
}

/** The rules of a pack that a profile holds. */
export function rulesOfProfile(pack: RulePack, profile: GuardrailsProfile): Rule[] {
  return pack.rules.filter((rule) => profilesOf(rule).includes(profile));
}
