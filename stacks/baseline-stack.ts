import { S3AccountPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-account-public-access-block";
import { TerraformOutput } from "cdktf";
import type { Construct } from "constructs";
import { ApiGatewayLogging } from "../constructs/edge/api-gateway-logging";
import { AccountGuardrails } from "../constructs/detection/account-guardrails";
import { AuditTrail } from "../constructs/detection/audit-trail";
import { SecurityAlerts } from "../constructs/detection/security-alerts";
import { ThreatDetection } from "../constructs/detection/threat-detection";
import { BlueprintStack, type BlueprintStackProps } from "./blueprint-stack";
import { baselineNames, ciNames, replicaBucketName } from "./config";

/**
 * Account-wide singletons, one per account and region: the account-level S3 public access block and the other account
 * guardrails (EBS encryption by default, IAM Access Analyzer, Security Hub, AWS Config), GuardDuty, the audit trail
 * and the security alerts.
 */
export class BaselineStack extends BlueprintStack {
  /** The topic every security alert goes to, and the alert rules. */
  public readonly alerts: SecurityAlerts;
  /** The GuardDuty detector. */
  public readonly threatDetection: ThreatDetection;
  /** The multi-region audit trail. */
  public readonly auditTrail: AuditTrail;
  /** EBS encryption, Access Analyzer, Security Hub, AWS Config. */
  public readonly accountGuardrails: AccountGuardrails;

  constructor(scope: Construct, id: string, props: BlueprintStackProps) {
    super(scope, id, props);
    const env = props.environment;
    const names = baselineNames(env);
    const keys = {
      administrators: env.keyAdministratorArns,
      viewers: [this.planRoleArn],
      deletionWindowInDays: env.keyDeletionWindowInDays,
    };
    new S3AccountPublicAccessBlock(this, "AccountPublicAccessBlock", {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.alerts = new SecurityAlerts(this, "SecurityAlerts", {
      topicName: names.alertTopic,
      emailSubscriptions: env.detection.alertEmails,
      guardDutySeverity: env.detection.guardDutyAlertSeverity,
      watchedRegions: env.modelStore.replicaRegion ? [env.modelStore.replicaRegion] : [],
      forwarderRoleName: names.alertForwarderRole,
      keys,
    });
    this.threatDetection = new ThreatDetection(this, "ThreatDetection");
    this.auditTrail = new AuditTrail(this, "AuditTrail", {
      trailName: names.auditTrail,
      bucketName: env.detection.auditBucketName,
      objectLock: env.detection.auditLogLock,
      logRetentionInDays: env.detection.auditLogRetentionInDays,
      dataEventBuckets: [
        env.modelStore.bucketName,
        ...(env.modelStore.replicaRegion ? [replicaBucketName(env.modelStore)] : []),
      ],
      readers: env.detection.auditReaderArns,
      keys,
    });
    // The account's API Gateway logging role: every REST API stage of the account and region logs with it.
    new ApiGatewayLogging(this, "ApiGatewayLogging", { roleName: `${ciNames(env).serviceRolePrefix}apigateway-logs` });
    this.accountGuardrails = new AccountGuardrails(this, "AccountGuardrails", {
      namePrefix: env.namePrefix,
      securityHub: env.detection.securityHub,
      config: env.detection.awsConfig,
      configBucketName: env.detection.configBucketName,
      serviceLinkedRoles: env.detection.serviceLinkedRoles,
      keys,
    });

    const outputs: Record<string, { value: string; description: string }> = {
      security_alert_topic_arn: { value: this.alerts.topicArn, description: "SNS topic every security alert goes to" },
      audit_trail_arn: { value: this.auditTrail.trailArn, description: "The multi-region audit trail" },
      guardduty_detector_id: {
        value: this.threatDetection.detectorId,
        description: "GuardDuty detector of the region",
      },
      ebs_default_key_arn: {
        value: this.accountGuardrails.ebsKey.arn,
        description: "KMS key EBS volumes are encrypted under by default",
      },
    };
    for (const [name, output] of Object.entries(outputs)) new TerraformOutput(this, name, output);
  }
}
