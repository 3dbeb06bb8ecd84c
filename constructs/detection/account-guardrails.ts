import { AccessanalyzerAnalyzer } from "@cdktf/provider-aws/lib/accessanalyzer-analyzer";
import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { EbsDefaultKmsKey } from "@cdktf/provider-aws/lib/ebs-default-kms-key";
import { EbsEncryptionByDefault } from "@cdktf/provider-aws/lib/ebs-encryption-by-default";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";
import { SecurityhubAccount } from "@cdktf/provider-aws/lib/securityhub-account";
import { SecurityhubStandardsSubscription } from "@cdktf/provider-aws/lib/securityhub-standards-subscription";
import { dependable } from "cdktf";
import { Construct } from "constructs";
import { Guardrails } from "../../policies/guardrails/guardrails";
import { AwsContext } from "../core/aws-context";
import { checkLowercaseName, ValidationError } from "../core/validation";
import type { CustomerKeyProps } from "../keys/key-policy";
import { KmsKey } from "../keys/kms-key";
import { checkBucketName, checkLogBucketRoom, SecureBucket } from "../storage/secure-bucket";

/** Whether a service is turned on here, or by the AWS Organization (delegated administrator) and left alone here. */
export type AccountServiceMode = "enable" | "managed-by-organization";
/** The values {@link AccountServiceMode} takes. */
export const ACCOUNT_SERVICE_MODES: readonly AccountServiceMode[] = ["enable", "managed-by-organization"];

/** Whether the service-linked roles the guardrails name are created here or exist already (an account has one of each). */
export type ServiceLinkedRoles = "create" | "existing";
/** The values {@link ServiceLinkedRoles} takes. */
export const SERVICE_LINKED_ROLE_MODES: readonly ServiceLinkedRoles[] = ["create", "existing"];

/** The Security Hub standards the blueprint subscribes to, by name and ARN path (after `standards/`). */
export const SECURITY_HUB_STANDARDS: Readonly<Record<string, string>> = {
  "AWS Foundational Security Best Practices": "aws-foundational-security-best-practices/v/1.0.0",
  "CIS AWS Foundations Benchmark": "cis-aws-foundations-benchmark/v/3.0.0",
};

/** Properties of {@link AccountGuardrails}. */
export interface AccountGuardrailsProps {
  /** Prefix of the names (key alias, analyzer, Config bucket): lowercase letters, digits and hyphens. */
  readonly namePrefix: string;
  /** Security Hub with the FSBP and CIS standards: `enable`, or `managed-by-organization`. Default: `enable`. */
  readonly securityHub?: AccountServiceMode;
  /** AWS Config recording every resource type: `enable`, or `managed-by-organization`. Default: `enable`. */
  readonly config?: AccountServiceMode;
  /** The bucket AWS Config delivers to (at most 51 characters). Required when `config` is `enable`. */
  readonly configBucketName?: string;
  /** `create` the Auto Scaling and AWS Config service-linked roles, or use the `existing` ones. Default: `create`. */
  readonly serviceLinkedRoles?: ServiceLinkedRoles;
  /** Administrators, viewers and deletion window of the keys. Default: the deployer administers. */
  readonly keys?: Pick<CustomerKeyProps, "administrators" | "viewers" | "deletionWindowInDays">;
}

/**
 * The account-wide guardrails of one region: EBS encryption by default under a customer key (usable by Auto Scaling's
 * service-linked role via EC2, so that node groups launch), IAM Access Analyzer for the account, Security Hub with the
 * AWS Foundational Security Best Practices and CIS standards, and AWS Config recording every resource type (global
 * ones included) into its own encrypted bucket. Security Hub and Config each have a named opt-out for accounts whose
 * Organization turns them on centrally.
 */
export class AccountGuardrails extends Construct {
  /** The key EBS volumes are encrypted under by default. */
  public readonly ebsKey: KmsKey;
  /** The IAM Access Analyzer. */
  public readonly accessAnalyzer: AccessanalyzerAnalyzer;
  /** The Security Hub account, when enabled here. */
  public readonly securityHub?: SecurityhubAccount;
  /** The AWS Config recorder, when enabled here. */
  public readonly configRecorder?: ConfigConfigurationRecorder;

  constructor(scope: Construct, id: string, props: AccountGuardrailsProps) {
    super(scope, id);
    const where = this.node.path;
    checkLowercaseName(where, "namePrefix", props.namePrefix, 30);
    const securityHub = props.securityHub ?? "enable";
    const config = props.config ?? "enable";
    const serviceLinkedRoles = props.serviceLinkedRoles ?? "create";
    for (const [property, value, allowed] of [
      ["securityHub", securityHub, ACCOUNT_SERVICE_MODES],
      ["config", config, ACCOUNT_SERVICE_MODES],
      ["serviceLinkedRoles", serviceLinkedRoles, SERVICE_LINKED_ROLE_MODES],
    ] as const) {
      if (!(allowed as readonly string[]).includes(value)) {
        throw new ValidationError(where, property, value, `allowed: ${allowed.join(" or ")}`);
      }
    }
    if (config === "enable") {
      if (props.configBucketName === undefined) {
        throw new ValidationError(where, "configBucketName", undefined, "allowed: a bucket name when config is enable");
      }
      checkBucketName(where, "configBucketName", props.configBucketName);
      checkLogBucketRoom(where, "configBucketName", props.configBucketName);
    }
    const context = AwsContext.of(this);

    // EBS encryption by default, under a key that Auto Scaling may use via EC2 for the volumes it launches.
    const autoScaling = this.serviceLinkedRole(
      serviceLinkedRoles,
      "autoscaling.amazonaws.com",
      "AWSServiceRoleForAutoScaling",
    );
    this.ebsKey = new KmsKey(this, "EbsKey", {
      ...props.keys,
      alias: `${props.namePrefix}-ebs-default`,
      description: "Encrypts every EBS volume of the account and region by default",
    });
    this.ebsKey.grantEbsVolumes(autoScaling.arn);
    if (autoScaling.resource) this.ebsKey.resource.dependsOn = [dependable(autoScaling.resource)];
    new EbsEncryptionByDefault(this, "EbsEncryptionByDefault", { enabled: true });
    new EbsDefaultKmsKey(this, "EbsDefaultKey", { keyArn: this.ebsKey.arn });

    this.accessAnalyzer = new AccessanalyzerAnalyzer(this, "AccessAnalyzer", {
      analyzerName: `${props.namePrefix}-account`,
      type: "ACCOUNT",
      tags: { Name: `${props.namePrefix}-account` },
    });

    if (securityHub === "enable") {
      this.securityHub = new SecurityhubAccount(this, "SecurityHub", {
        enableDefaultStandards: false,
        controlFindingGenerator: "SECURITY_CONTROL",
        autoEnableControls: true,
      });
      for (const path of Object.values(SECURITY_HUB_STANDARDS)) {
        new SecurityhubStandardsSubscription(this, `Standard-${path.split("/")[0]}`, {
          standardsArn: `arn:${context.partition}:securityhub:${context.region}::standards/${path}`,
          dependsOn: [this.securityHub],
        });
      }
    }

    if (config === "enable" && props.configBucketName) {
      this.configRecorder = this.recordConfiguration(props, serviceLinkedRoles);
    }
  }

  /** AWS Config: a recorder of every resource type, a delivery channel to an encrypted bucket, and the recorder on. */
  private recordConfiguration(props: AccountGuardrailsProps, mode: ServiceLinkedRoles): ConfigConfigurationRecorder {
    const context = AwsContext.of(this);
    const bucketName = props.configBucketName as string;
    const role = this.serviceLinkedRole(mode, "config.amazonaws.com", "AWSServiceRoleForConfig");
    const key = new KmsKey(this, "ConfigKey", {
      ...props.keys,
      alias: `${props.namePrefix}-config`,
      description: "Encrypts AWS Config's configuration history and snapshots",
    });
    key.grantGenerateDataKey(role.arn, { viaService: "s3" });
    if (role.resource) key.resource.dependsOn = [dependable(role.resource)];
    const accessLogs = SecureBucket.accessLogsFor(this, "ConfigAccessLogs", bucketName);
    const bucket = new SecureBucket(this, "ConfigBucket", {
      bucketName,
      encryptionKey: key,
      accessLogs: { bucket: accessLogs, prefix: "config/" },
    });
    for (const b of [bucket, accessLogs]) {
      Guardrails.suppress(
        b.resource,
        "CKV_AWS_144",
        "AWS Config's history is versioned and protected from destroy here, and AWS Config rebuilds the current configuration from the account itself; a second copy belongs in an Organization's log-archive account, which the blueprint does not own",
      );
    }
    const thisAccount = { StringEquals: { "aws:SourceAccount": context.accountId } };
    bucket.addToResourcePolicy({
      sid: "ConfigBucketCheck",
      principals: { service: ["config.amazonaws.com"] },
      actions: ["s3:GetBucketAcl", "s3:ListBucket"],
      resources: [bucket.arn],
      conditions: thisAccount,
    });
    bucket.addToResourcePolicy({
      sid: "ConfigDelivery",
      principals: { service: ["config.amazonaws.com"] },
      actions: ["s3:PutObject"],
      resources: [bucket.arnForObjects(`AWSLogs/${context.accountId}/Config/`)],
      conditions: {
        StringEquals: { "aws:SourceAccount": context.accountId, "s3:x-amz-acl": "bucket-owner-full-control" },
      },
    });
    const recorder = new ConfigConfigurationRecorder(this, "ConfigRecorder", {
      name: "default",
      roleArn: role.arn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
    });
    const channel = new ConfigDeliveryChannel(this, "ConfigDelivery", {
      name: "default",
      s3BucketName: bucketName,
      s3KmsKeyArn: key.arn,
      snapshotDeliveryProperties: { deliveryFrequency: "TwentyFour_Hours" },
      dependsOn: [recorder, bucket.policyResource],
    });
    new ConfigConfigurationRecorderStatus(this, "ConfigRecorderStatus", {
      name: recorder.name,
      isEnabled: true,
      dependsOn: [channel],
    });
    return recorder;
  }

  /** A service-linked role's ARN, creating the role when asked (an account holds one of each; AWS names it). */
  private serviceLinkedRole(
    mode: ServiceLinkedRoles,
    service: string,
    name: string,
  ): { arn: string; resource?: IamServiceLinkedRole } {
    const context = AwsContext.of(this);
    const arn = context.iamArn(`role/aws-service-role/${service}/${name}`);
    if (mode === "existing") return { arn };
    const id = `ServiceLinkedRole-${service.split(".")[0]}`;
    return { arn, resource: new IamServiceLinkedRole(this, id, { awsServiceName: service }) };
  }
}
