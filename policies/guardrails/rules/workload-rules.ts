import type { Rule } from "../rule";

/**
 * Resource types that set something for a whole account and region: one of each exists, and the platform's baseline
 * stack owns it. A second copy in an app team's stack would fail to apply or, worse, quietly change the account's
 * setting (turn EBS encryption by default off, loosen the account's public-access block).
 */
export const ACCOUNT_SINGLETON_TYPES: readonly string[] = [
  "aws_guardduty_detector",
  "aws_guardduty_detector_feature",
  "aws_guardduty_organization_configuration",
  "aws_s3_account_public_access_block",
  "aws_ebs_encryption_by_default",
  "aws_ebs_default_kms_key",
  "aws_ebs_snapshot_block_public_access",
  "aws_ec2_image_block_public_access",
  "aws_config_configuration_recorder",
  "aws_config_configuration_recorder_status",
  "aws_config_delivery_channel",
  "aws_securityhub_account",
  "aws_securityhub_standards_subscription",
  "aws_iam_account_password_policy",
  "aws_api_gateway_account",
  "aws_macie2_account",
  "aws_inspector2_enabler",
];

/** Rules of the `workload` profile only: what an app team's stack on a shared platform must leave to the platform. */
export const WORKLOAD_RULES: readonly Rule[] = [
  {
    id: "SMD-WL-1",
    profiles: ["workload"],
    title: "Workload stacks leave account-wide settings to the platform's baseline",
    level: "error",
    controls: ["C-GOVERNANCE", "C-THREAT-DETECTION"],
    fix: "remove the resource from the app's stack: the platform's baseline stack owns the account's detection and guardrails (ThreatDetection, AuditTrail, AccountGuardrails); ask the platform team for a change there",
    // Every resource is looked at (and passes unless it is a singleton), so the controls matrix counts what was checked.
    targets: [{ kind: "resource" }],
    check: (element) =>
      ACCOUNT_SINGLETON_TYPES.includes(element.type)
        ? [
            `${element.type} is an account-wide setting; in a workload stack it would collide with, or silently change, the platform's`,
          ]
        : [],
  },
];
