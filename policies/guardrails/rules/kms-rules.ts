import { problems, type Rule, requireLiteral, unverified } from "../rule";
import { isReference, valueAt } from "../stack-index";

const KEY = [{ kind: "resource" as const, types: ["aws_kms_key"] }];

/** Key specs AWS can rotate automatically (symmetric encryption keys). */
function isRotatable(config: Readonly<Record<string, unknown>>): boolean {
  const spec = config.customer_master_key_spec ?? config.key_spec;
  return spec === undefined || spec === "SYMMETRIC_DEFAULT";
}

/** The most days between rotations the article's "rotate secrets every 60–90 days" allows (KMS's minimum is 90). */
export const MAX_ROTATION_DAYS = 90;

/** Rules for customer-managed KMS keys and their aliases. */
export const KMS_RULES: readonly Rule[] = [
  {
    id: "SMD-KMS-1",
    title: "KMS keys rotate their key material automatically",
    level: "error",
    controls: ["C-KEY-ROTATION", "C-ENCRYPT-REST"],
    checkov: ["CKV_AWS_7"],
    fix: "set enable_key_rotation = true (KmsKey always does)",
    targets: KEY,
    applies: (key) => isRotatable(key.config),
    check: (key) => problems(requireLiteral(key.config, "enable_key_rotation", true)),
  },
  {
    id: "SMD-KMS-2",
    title: `KMS keys rotate at least every ${MAX_ROTATION_DAYS} days`,
    level: "warning",
    controls: ["C-KEY-ROTATION"],
    fix: `set rotation_period_in_days to ${MAX_ROTATION_DAYS} (KmsKey's default)`,
    targets: KEY,
    applies: (key) => isRotatable(key.config),
    check: (key) => {
      const days = key.config.rotation_period_in_days;
      if (days === undefined) return ["rotation_period_in_days is not set, so AWS rotates every 365 days"];
      if (isReference(days)) return [unverified("rotation_period_in_days", days)];
      return typeof days === "number" && days <= MAX_ROTATION_DAYS
        ? []
        : [`rotation_period_in_days is ${JSON.stringify(days)}`];
    },
  },
  {
    id: "SMD-KMS-3",
    title: "KMS keys carry an explicit key policy",
    level: "error",
    controls: ["C-LEAST-PRIVILEGE"],
    fix: "give the key a policy that names its administrators and users (KmsKey writes one); without it AWS's default policy lets every IAM identity of the account that an IAM policy allows use the key",
    targets: KEY,
    check: (key, index) => {
      if (key.config.policy !== undefined && key.config.policy !== "") return [];
      if (index.referrers(key, "aws_kms_key_policy", "key_id").length > 0) return [];
      return ["policy is not set and no aws_kms_key_policy refers to the key"];
    },
  },
  {
    id: "SMD-KMS-4",
    title: "KMS keys are protected from destroy",
    level: "error",
    controls: ["C-DATA-DURABILITY"],
    fix: "set lifecycle.prevent_destroy = true (KmsKey does): destroying a key destroys every object encrypted under it",
    targets: KEY,
    check: (key) => {
      const prevent = valueAt(key.config, "lifecycle.prevent_destroy");
      return prevent === true ? [] : [`lifecycle.prevent_destroy is ${JSON.stringify(prevent ?? null)} (must be true)`];
    },
  },
  {
    id: "SMD-KMS-5",
    title: "KMS key policies keep AWS's lockout safety check",
    level: "error",
    controls: ["C-DATA-DURABILITY", "C-LEAST-PRIVILEGE"],
    fix: "remove bypass_policy_lockout_safety_check or set it to false",
    targets: KEY,
    check: (key) => {
      const value = key.config.bypass_policy_lockout_safety_check;
      if (value === undefined || value === false) return [];
      return [`bypass_policy_lockout_safety_check is ${JSON.stringify(value)}`];
    },
  },
  {
    id: "SMD-KMS-6",
    title: "KMS aliases point at a key of the same stack",
    level: "warning",
    controls: ["C-ENCRYPT-REST"],
    fix: "target an aws_kms_key of this stack (KmsKey creates its alias) so the guardrails can check the key's rotation and policy",
    targets: [{ kind: "resource", types: ["aws_kms_alias"] }],
    check: (alias, index) => {
      const target = index.target(alias.config.target_key_id);
      if (target?.element.type === "aws_kms_key") return [];
      return [`target_key_id is ${JSON.stringify(alias.config.target_key_id ?? null)}, not a key of this stack`];
    },
  },
];
