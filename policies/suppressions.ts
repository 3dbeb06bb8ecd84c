import type { Suppression } from "./guardrails/suppression";

/**
 * The blueprint's suppression register: every finding it accepts, on a construct path, with the rule and a reason
 * of real content. The guardrails apply it to every stack, and the checkov skips are derived from it (a guardrail
 * rule's suppression skips the checkov checks it mirrors on the same resources), so there is one list of
 * exceptions. Constructs may record their own with `Guardrails.suppress`; the README lists every one in force.
 */
export const SUPPRESSIONS: readonly Suppression[] = [
  {
    path: "bootstrap/StateBucket/Bucket",
    ruleId: "CKV_AWS_144",
    reason:
      "Terraform state is versioned, kept 90 days per old version, protected from destroy and can be rebuilt from the code with terraform import; a replica in a second region would need a key and a provider there for data the repository already reproduces",
  },
  {
    path: "bootstrap/AccessLogs/Bucket",
    ruleId: "CKV_AWS_144",
    reason:
      "The state bucket's access logs are versioned, protected from destroy and kept a year in the account's home region; the audit trail of the baseline stack keeps the multi-region record of who touched the state",
  },
];
