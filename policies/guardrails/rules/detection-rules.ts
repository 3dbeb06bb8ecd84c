import { problems, type Rule, requireLiteral } from "../rule";
import { isReference, type StackElement, type StackIndex, valueAt, valuesAt } from "../stack-index";
import { MODEL_STORE_TAG } from "./s3-rules";

/** The GuardDuty features every detector turns on, each with the additional configuration it needs enabled. */
const REQUIRED_FEATURES: Readonly<Record<string, readonly string[]>> = {
  S3_DATA_EVENTS: [],
  EKS_AUDIT_LOGS: [],
  RUNTIME_MONITORING: ["EKS_ADDON_MANAGEMENT"],
  EBS_MALWARE_PROTECTION: [],
};

/** The Security Hub standards every account subscribes to, by a distinctive part of their ARN. */
const REQUIRED_STANDARDS: Readonly<Record<string, string>> = {
  "AWS Foundational Security Best Practices": "standards/aws-foundational-security-best-practices/",
  "CIS AWS Foundations Benchmark": "standards/cis-aws-foundations-benchmark/",
};

/** Whether a trail records management events: an advanced selector on them, or a classic one that includes them. */
function recordsManagementEvents(trail: StackElement): boolean {
  const advanced = valuesAt(trail.config, "advanced_event_selector") as Record<string, unknown>[];
  if (advanced.length > 0) {
    return advanced.some((selector) =>
      (valuesAt(selector, "field_selector") as Record<string, unknown>[]).some(
        (f) => f.field === "eventCategory" && valuesAt(f, "equals").includes("Management"),
      ),
    );
  }
  const classic = valuesAt(trail.config, "event_selector") as Record<string, unknown>[];
  return classic.length === 0 || classic.some((s) => s.include_management_events !== false);
}

/** The names of the buckets the stack's malware protection plans protect. */
function protectedBuckets(index: StackIndex): unknown[] {
  return index
    .all("resource", "aws_guardduty_malware_protection_plan")
    .flatMap((plan) => valuesAt(plan.config, "protected_resource.s3_bucket.bucket_name"));
}

/** Rules for threat detection, the audit trail and the account's guardrails. */
export const DETECTION_RULES: readonly Rule[] = [
  {
    id: "SMD-DET-1",
    profiles: ["platform"],
    title: "GuardDuty watches S3, EKS, runtimes and EBS, and publishes every 15 minutes",
    level: "error",
    controls: ["C-THREAT-DETECTION"],
    fix: "enable the detector with finding_publishing_frequency FIFTEEN_MINUTES and an aws_guardduty_detector_feature ENABLED for S3_DATA_EVENTS, EKS_AUDIT_LOGS, RUNTIME_MONITORING (with EKS_ADDON_MANAGEMENT) and EBS_MALWARE_PROTECTION; ThreatDetection does",
    targets: [{ kind: "resource", types: ["aws_guardduty_detector"] }],
    check: (detector, index) => {
      const found = problems(
        detector.config.enable === false ? "enable is false" : undefined,
        requireLiteral(detector.config, "finding_publishing_frequency", "FIFTEEN_MINUTES"),
      );
      const features = index.referrers(detector, "aws_guardduty_detector_feature", "detector_id");
      for (const [name, additional] of Object.entries(REQUIRED_FEATURES)) {
        const feature = features.find((f) => f.config.name === name);
        if (feature?.config.status !== "ENABLED") {
          found.push(`the feature ${name} is not ENABLED`);
          continue;
        }
        const extras = valuesAt(feature.config, "additional_configuration") as Record<string, unknown>[];
        for (const extra of additional) {
          if (!extras.some((e) => e.name === extra && e.status === "ENABLED")) {
            found.push(`${name} does not enable ${extra}`);
          }
        }
      }
      return found;
    },
  },
  {
    id: "SMD-DET-2",
    profiles: ["platform"],
    title:
      "CloudTrail trails cover every region, validate their log files, encrypt with a customer key and feed CloudWatch Logs",
    level: "error",
    controls: ["C-AUDIT-TRAIL"],
    checkov: ["CKV_AWS_67", "CKV_AWS_36", "CKV_AWS_35", "CKV2_AWS_10"],
    fix: "set is_multi_region_trail, include_global_service_events and enable_log_file_validation to true, kms_key_id to a KmsKey, cloud_watch_logs_group_arn and its role, and record management events; AuditTrail does",
    targets: [{ kind: "resource", types: ["aws_cloudtrail"] }],
    check: (trail) =>
      problems(
        requireLiteral(trail.config, "is_multi_region_trail", true),
        requireLiteral(trail.config, "include_global_service_events", true),
        requireLiteral(trail.config, "enable_log_file_validation", true),
        trail.config.enable_logging === false ? "enable_logging is false: the trail records nothing" : undefined,
        trail.config.kms_key_id ? undefined : "kms_key_id is not set, so log files use S3's own encryption",
        trail.config.cloud_watch_logs_group_arn && trail.config.cloud_watch_logs_role_arn
          ? undefined
          : "cloud_watch_logs_group_arn and cloud_watch_logs_role_arn are not both set",
        recordsManagementEvents(trail) ? undefined : "no event selector records management events",
      ),
  },
  {
    id: "SMD-DET-3",
    title: "Every object uploaded to a model store is scanned for malware",
    level: "error",
    controls: ["C-THREAT-DETECTION", "C-ARTIFACT-INTEGRITY"],
    fix: "add an aws_guardduty_malware_protection_plan protecting the bucket (tagged BlueprintRole = model-store); ModelStoreMalwareScan does",
    targets: [{ kind: "resource", types: ["aws_s3_bucket"] }],
    applies: (bucket) => valueAt(bucket.config, `tags.${MODEL_STORE_TAG.key}`) === MODEL_STORE_TAG.value,
    check: (bucket, index) => {
      const name = bucket.config.bucket;
      const names = protectedBuckets(index);
      const covered = names.includes(name) || names.some((n) => index.target(n)?.element === bucket);
      return covered ? [] : [`no aws_guardduty_malware_protection_plan protects ${String(name)}`];
    },
  },
  {
    id: "SMD-ACCT-1",
    profiles: ["platform"],
    title: "EBS volumes are encrypted by default, under a customer-managed key",
    level: "error",
    controls: ["C-ENCRYPT-REST"],
    checkov: ["CKV_AWS_106"],
    fix: "set aws_ebs_encryption_by_default.enabled = true and add an aws_ebs_default_kms_key naming a KmsKey; AccountGuardrails does",
    targets: [{ kind: "resource", types: ["aws_ebs_encryption_by_default"] }],
    check: (setting, index) =>
      problems(
        setting.config.enabled === false ? "enabled is false" : undefined,
        index.all("resource", "aws_ebs_default_kms_key").some((k) => k.config.key_arn)
          ? undefined
          : "no aws_ebs_default_kms_key: new volumes use the AWS-managed aws/ebs key",
      ),
  },
  {
    id: "SMD-ACCT-2",
    profiles: ["platform"],
    title: "AWS Config records every resource type, global ones included, and is on",
    level: "error",
    controls: ["C-GOVERNANCE", "C-AUDIT-TRAIL"],
    checkov: ["CKV2_AWS_45", "CKV2_AWS_48"],
    fix: "set recording_group { all_supported = true, include_global_resource_types = true } and add an aws_config_configuration_recorder_status with is_enabled = true for the recorder; AccountGuardrails does",
    targets: [{ kind: "resource", types: ["aws_config_configuration_recorder"] }],
    check: (recorder, index) => {
      const found = problems(
        valueAt(recorder.config, "recording_group.all_supported") === true
          ? undefined
          : "recording_group.all_supported is not true",
        valueAt(recorder.config, "recording_group.include_global_resource_types") === true
          ? undefined
          : "recording_group.include_global_resource_types is not true",
      );
      const statuses = index.referrers(recorder, "aws_config_configuration_recorder_status", "name");
      if (!statuses.some((s) => s.config.is_enabled === true)) {
        found.push("no aws_config_configuration_recorder_status turns the recorder on");
      }
      return found;
    },
  },
  {
    id: "SMD-ACCT-3",
    profiles: ["platform"],
    title: "Security Hub checks the account against the AWS Foundational Security Best Practices and CIS",
    level: "error",
    controls: ["C-GOVERNANCE", "C-THREAT-DETECTION"],
    fix: "subscribe the aws_securityhub_account to both standards with aws_securityhub_standards_subscription; AccountGuardrails does",
    targets: [{ kind: "resource", types: ["aws_securityhub_account"] }],
    check: (_account, index) => {
      const subscribed = index
        .all("resource", "aws_securityhub_standards_subscription")
        .map((s) => s.config.standards_arn)
        .filter((arn): arn is string => typeof arn === "string" && !isReference(arn));
      return Object.entries(REQUIRED_STANDARDS)
        .filter(([, part]) => !subscribed.some((arn) => arn.includes(part)))
        .map(([name]) => `not subscribed to ${name}`);
    },
  },
];
