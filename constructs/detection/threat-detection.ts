import { GuarddutyDetector } from "@cdktf/provider-aws/lib/guardduty-detector";
import { GuarddutyDetectorFeature } from "@cdktf/provider-aws/lib/guardduty-detector-feature";
import { Construct } from "constructs";
import { Guardrails } from "../../policies/guardrails/guardrails";
import { ValidationError } from "../core/validation";

/** How often GuardDuty publishes updates of existing findings (new findings go out within five minutes). */
export type FindingPublishingFrequency = "FIFTEEN_MINUTES" | "ONE_HOUR" | "SIX_HOURS";
const FREQUENCIES: readonly FindingPublishingFrequency[] = ["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"];

/** The detector features the blueprint turns on, each with the additional configuration it needs. */
export const GUARDDUTY_FEATURES: readonly { readonly name: string; readonly additional?: readonly string[] }[] = [
  // S3 Protection: S3 data events (gets, puts, deletes) of every bucket, the model store's included.
  { name: "S3_DATA_EVENTS" },
  // EKS Protection: the clusters' Kubernetes audit logs.
  { name: "EKS_AUDIT_LOGS" },
  // Runtime Monitoring, with the EKS security agent installed and updated by GuardDuty (as an EKS add-on).
  { name: "RUNTIME_MONITORING", additional: ["EKS_ADDON_MANAGEMENT"] },
  // Malware Protection for EC2: agentless scans of the EBS volumes of instances and containers GuardDuty suspects.
  { name: "EBS_MALWARE_PROTECTION" },
];

/** Properties of {@link ThreatDetection}. */
export interface ThreatDetectionProps {
  /** How often updates of existing findings are published. Default: `FIFTEEN_MINUTES`, the most often. */
  readonly findingPublishingFrequency?: FindingPublishingFrequency;
}

/**
 * The region's GuardDuty detector: enabled, publishing every 15 minutes, with S3 data events, EKS audit logs,
 * Runtime Monitoring with the EKS agent managed by GuardDuty, and EBS malware protection. One per account and region
 * (the `baseline` stack's). GuardDuty creates the `guardduty-data` VPC endpoint of each cluster's VPC itself when it
 * manages the agent (see `SecureVpc`'s `guardDutyAgent`).
 */
export class ThreatDetection extends Construct {
  /** The `aws_guardduty_detector`. */
  public readonly detector: GuarddutyDetector;

  constructor(scope: Construct, id: string, props: ThreatDetectionProps = {}) {
    super(scope, id);
    const frequency = props.findingPublishingFrequency ?? "FIFTEEN_MINUTES";
    if (!FREQUENCIES.includes(frequency)) {
      throw new ValidationError(
        this.node.path,
        "findingPublishingFrequency",
        frequency,
        `allowed: ${FREQUENCIES.join(", ")}`,
      );
    }
    this.detector = new GuarddutyDetector(this, "Detector", {
      enable: true,
      findingPublishingFrequency: frequency,
      tags: { Name: "threat-detection" },
    });
    Guardrails.suppress(
      this.detector,
      "CKV2_AWS_3",
      "This check wants an aws_guardduty_organization_configuration, which only the Organization's GuardDuty delegated administrator account can hold; the blueprint enables the detector and every feature in the account and region it deploys to",
    );
    for (const feature of GUARDDUTY_FEATURES) {
      new GuarddutyDetectorFeature(this, feature.name, {
        detectorId: this.detector.id,
        name: feature.name,
        status: "ENABLED",
        additionalConfiguration: (feature.additional ?? []).map((name) => ({ name, status: "ENABLED" })),
      });
    }
  }

  /** The detector's ID. */
  public get detectorId(): string {
    return this.detector.id;
  }
}
