import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { createServiceRole } from "../identity/service-role";
import { AwsContext } from "../core/aws-context";
import { checkPattern, checkRegion, checkRoleName, ValidationError } from "../core/validation";
import { PolicyDocument } from "../identity/policy-document";
import type { CustomerKeyProps } from "../keys/key-policy";
import { KmsKey } from "../keys/kms-key";
import { type AlertRule, GLOBAL_EVENTS_REGION, GUARDDUTY_SEVERITY, securityAlertRules } from "./alert-rules";

/** An email address SNS can deliver to (RFC 5321's practical form: local part, @, a domain with a dot). */
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** Checks an email subscription address. */
export function checkEmail(where: string, property: string, email: string): void {
  checkPattern(where, property, email, EMAIL, "an email address such as security@example.com");
}

/** Checks a GuardDuty severity threshold: a number from 1 to 10 (GuardDuty's scale). */
export function checkGuardDutySeverity(where: string, property: string, severity: number): void {
  if (typeof severity !== "number" || !(severity >= GUARDDUTY_SEVERITY.min && severity <= GUARDDUTY_SEVERITY.max)) {
    throw new ValidationError(
      where,
      property,
      severity,
      "allowed: a number from 1 to 10, GuardDuty's scale (Low 1.0-3.9, Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0)",
    );
  }
}

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
  /** Email addresses subscribed to the topic (each confirms by a link AWS mails). Default: none. */
  readonly emailSubscriptions?: readonly string[];
  /** GuardDuty findings of this severity or more alert: 1 to 10. Default: 7 (High and Critical). */
  readonly guardDutySeverity?: number;
  /** Regions besides the topic's whose regional alerts (keys disabled or scheduled for deletion) count. Default: none. */
  readonly watchedRegions?: readonly string[];
  /**
   * Name of the role that forwards the events of other regions (us-east-1 for IAM and sign-in, the watched regions) to
   * this region's default event bus. Default: `<topicName>-forwarder`.
   */
  readonly forwarderRoleName?: string;
}

/**
 * The security alert topic every alarm and alert rule of the blueprint publishes to: SNS under its own KMS key,
 * whose policy admits only this account's EventBridge and CloudWatch to publish, and only over TLS (the key lets
 * those two services encrypt, for this account only), with email subscriptions; and the blueprint's alert rules
 * (`securityAlertRules`), each an EventBridge rule in the topic's region. The events of global services reach
 * EventBridge in us-east-1 only, and a watched region's in that region: a rule there forwards them to this region's
 * default event bus, through a role only this account's EventBridge may assume and that may only put events there.
 */
export class SecurityAlerts extends Construct {
  /** The `aws_sns_topic`. */
  public readonly topic: SnsTopic;
  /** The topic's key. */
  public readonly key: KmsKey;
  /** The topic's ARN, as a literal built from its name. */
  public readonly topicArn: string;
  /** The alert rules in the topic's region, by alert name. */
  public readonly rules: Readonly<Record<string, CloudwatchEventRule>>;

  constructor(scope: Construct, id: string, props: SecurityAlertsProps) {
    super(scope, id);
    const where = this.node.path;
    checkTopicName(where, "topicName", props.topicName);
    if (props.topicName.length > 34) {
      throw new ValidationError(
        where,
        "topicName",
        props.topicName,
        "allowed: at most 34 characters, so that every rule name <topicName>-<alert> fits EventBridge's 64",
      );
    }
    for (const email of props.emailSubscriptions ?? []) checkEmail(where, "emailSubscriptions", email);
    const severity = props.guardDutySeverity ?? 7;
    checkGuardDutySeverity(where, "guardDutySeverity", severity);
    const watchedRegions = props.watchedRegions ?? [];
    for (const region of watchedRegions) checkRegion(where, "watchedRegions", region);
    const forwarderRoleName = props.forwarderRoleName ?? `${props.topicName}-forwarder`;
    checkRoleName(where, "forwarderRoleName", forwarderRoleName);
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
    for (const [i, email] of (props.emailSubscriptions ?? []).entries()) {
      new SnsTopicSubscription(this, `Email${i + 1}`, { topicArn: this.topic.arn, protocol: "email", endpoint: email });
    }

    const home = context.region;
    const rules: Record<string, CloudwatchEventRule> = {};
    let forwarder: IamRole | undefined;
    for (const alert of securityAlertRules(severity)) {
      const name = `${props.topicName}-${alert.name}`;
      const rule = new CloudwatchEventRule(this, `Rule-${alert.name}`, {
        name,
        description: alert.description,
        eventPattern: JSON.stringify(alert.pattern),
      });
      new CloudwatchEventTarget(this, `Target-${alert.name}`, {
        rule: rule.name,
        targetId: "security-alerts",
        arn: this.topicArn,
      });
      rules[alert.name] = rule;
      for (const region of regionsOf(alert, watchedRegions).filter((r) => r !== home)) {
        forwarder ??= this.forwarderRole(forwarderRoleName);
        const remote = new CloudwatchEventRule(this, `Forward-${alert.name}-${region}`, {
          region,
          name,
          description: `${alert.description} (forwarded to ${home})`,
          eventPattern: JSON.stringify(alert.pattern),
        });
        new CloudwatchEventTarget(this, `ForwardTarget-${alert.name}-${region}`, {
          region,
          rule: remote.name,
          targetId: "home-event-bus",
          arn: this.homeEventBusArn,
          roleArn: forwarder.arn,
        });
      }
    }
    this.rules = rules;
  }

  /** This region's default event bus, where other regions' rules forward their events. */
  private get homeEventBusArn(): string {
    const context = AwsContext.of(this);
    return `arn:${context.partition}:events:${context.region}:${context.accountId}:event-bus/default`;
  }

  /** The role other regions' rules forward events with: it may only put events on this region's default bus. */
  private forwarderRole(name: string): IamRole {
    const context = AwsContext.of(this);
    return createServiceRole(this, {
      roleId: "ForwarderRole",
      policyId: "ForwarderPolicy",
      name,
      description: `Forwards security events of other regions to ${context.region}`,
      service: "events.amazonaws.com",
      trustSid: "EventBridge",
      policyName: "forward",
      statements: [{ sid: "PutEventsHome", actions: ["events:PutEvents"], resources: [this.homeEventBusArn] }],
    }).role;
  }
}

/** The regions besides the topic's whose events an alert needs. */
function regionsOf(alert: AlertRule, watchedRegions: readonly string[]): readonly string[] {
  if (alert.scope === "global") return [GLOBAL_EVENTS_REGION];
  if (alert.scope === "regional") return watchedRegions;
  return [];
}
