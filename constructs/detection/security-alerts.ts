import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { Construct } from "constructs";
import { AwsContext } from "../core/aws-context";
import { checkPattern } from "../core/validation";
import { PolicyDocument } from "../identity/policy-document";
import type { CustomerKeyProps } from "../keys/key-policy";
import { KmsKey } from "../keys/kms-key";

/** The AWS services that publish the blueprint's alerts: EventBridge rules and CloudWatch alarms. */
export const ALERT_PUBLISHERS: readonly string[] = ["events.amazonaws.com", "cloudwatch.amazonaws.com"];

/** Checks an SNS topic name: 1 to 256 letters, digits, hyphens and underscores. */
export function checkTopicName(where: string, property: string, name: string): void {
  checkPattern(where, property, name, /^[A-Za-z0-9_-]{1,256}$/, "an SNS topic name: letters, digits, - and _");
}

/** The ARN of a topic of this account and region, known before it exists (for alarms and rules in other stacks). */
export function topicArn(scope: Construct, topicName: string): string {
  const context = AwsContext.of(scope);
  return `arn:${context.partition}:sns:${context.region}:${context.accountId}:${topicName}`;
}

/** Properties of {@link SecurityAlerts}. */
export interface SecurityAlertsProps {
  /** The topic's name, e.g. `acme-prod-security-alerts`. */
  readonly topicName: string;
  /** Administrators, viewers and deletion window of the topic's key. Default: the deployer administers. */
  readonly keys?: Pick<CustomerKeyProps, "administrators" | "viewers" | "deletionWindowInDays">;
}

/**
 * The security alert topic every alarm and alert rule of the blueprint publishes to: SNS under its own KMS key,
 * whose policy admits only this account's EventBridge and CloudWatch to publish, and only over TLS. The key lets
 * those two services encrypt, for this account only.
 */
export class SecurityAlerts extends Construct {
  /** The `aws_sns_topic`. */
  public readonly topic: SnsTopic;
  /** The topic's key. */
  public readonly key: KmsKey;
  /** The topic's ARN, as a literal built from its name. */
  public readonly topicArn: string;

  constructor(scope: Construct, id: string, props: SecurityAlertsProps) {
    super(scope, id);
    checkTopicName(this.node.path, "topicName", props.topicName);
    const context = AwsContext.of(this);
    this.topicArn = topicArn(this, props.topicName);
    this.key = new KmsKey(this, "Key", {
      ...props.keys,
      alias: props.topicName,
      description: `Encrypts the security alerts of ${props.topicName}`,
    });
    for (const service of ALERT_PUBLISHERS) this.key.grantServicePrincipal(service);
    this.topic = new SnsTopic(this, "Topic", {
      name: props.topicName,
      kmsMasterKeyId: this.key.arn,
      tags: { Name: props.topicName },
    });
    const policy = new PolicyDocument(`${this.node.path} topic policy`, [
      {
        sid: "AlertPublishers",
        principals: { service: ALERT_PUBLISHERS },
        actions: ["sns:Publish"],
        resources: [this.topicArn],
        conditions: { StringEquals: { "aws:SourceAccount": context.accountId } },
      },
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        anyPrincipal: true,
        actions: ["sns:Publish"],
        resources: [this.topicArn],
        conditions: { Bool: { "aws:SecureTransport": false } },
      },
    ]);
    new SnsTopicPolicy(this, "Policy", { arn: this.topic.arn, policy: policy.toJson() });
  }
}
