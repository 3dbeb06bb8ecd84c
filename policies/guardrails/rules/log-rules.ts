import { type Rule, unverified } from "../rule";
import { isReference } from "../stack-index";

const LOG_GROUP = [{ kind: "resource" as const, types: ["aws_cloudwatch_log_group"] }];

/** The shortest retention the blueprint accepts for any log group: a year, as audits ask. */
const MINIMUM_RETENTION_DAYS = 365;

/** Rules for CloudWatch log groups. */
export const LOG_RULES: readonly Rule[] = [
  {
    id: "SMD-LOG-1",
    title: "Log groups are encrypted with a customer-managed KMS key",
    level: "error",
    controls: ["C-ENCRYPT-REST", "C-AUDIT-TRAIL"],
    checkov: ["CKV_AWS_158"],
    fix: "set kms_key_id to a KmsKey whose policy lets CloudWatch Logs use it for this group (EncryptedLogGroup does both)",
    targets: LOG_GROUP,
    check: (group) => (group.config.kms_key_id ? [] : ["kms_key_id is not set, so CloudWatch Logs uses its own key"]),
  },
  {
    id: "SMD-LOG-2",
    title: `Log groups keep events for at least ${MINIMUM_RETENTION_DAYS} days`,
    level: "error",
    controls: ["C-AUDIT-TRAIL"],
    checkov: ["CKV_AWS_338", "CKV_AWS_66"],
    fix: `set retention_in_days to ${MINIMUM_RETENTION_DAYS} or one of CloudWatch Logs' longer periods`,
    targets: LOG_GROUP,
    check: (group) => {
      const days = group.config.retention_in_days;
      if (days === undefined || days === null || days === 0) {
        return ["retention_in_days is not set: events never expire, and nobody decided what they cost"];
      }
      if (isReference(days)) return [unverified("retention_in_days", days)];
      return Number(days) >= MINIMUM_RETENTION_DAYS ? [] : [`retention_in_days is ${String(days)}`];
    },
  },
];
