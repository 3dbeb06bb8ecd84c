import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { Lazy } from "cdktf";
import { Construct } from "constructs";
import { checkPattern } from "../core/validation";
import type { ModelStore } from "../storage/model-store";

/** The S3 API calls that change or remove a model (CloudTrail data events). */
export const MODEL_TAMPER_EVENTS: readonly string[] = [
  "PutObject",
  "CopyObject",
  "CompleteMultipartUpload",
  "DeleteObject",
  "DeleteObjects",
  "PutObjectRetention",
  "PutObjectLegalHold",
  "PutObjectAcl",
  "RestoreObject",
];

/** Properties of a {@link ModelTamperAlert}. */
export interface ModelTamperAlertProps {
  /** The store to watch. */
  readonly store: ModelStore;
  /** ARN of the security alert topic the alert goes to. */
  readonly topicArn: string;
  /** The rule's name. Default: `<bucket name>-tamper`. */
  readonly ruleName?: string;
}

/**
 * An EventBridge rule that fires on every write or delete of a model-store object by anyone but the store's
 * publishers (another role, the break-glass role, the root user, an IAM user, a service), attempts that were denied
 * included, and sends the CloudTrail event to the security alert topic. It needs a trail that records the store's S3
 * data events (the `AuditTrail`), whose events EventBridge receives.
 */
export class ModelTamperAlert extends Construct {
  /** The `aws_cloudwatch_event_rule`. */
  public readonly rule: CloudwatchEventRule;

  constructor(scope: Construct, id: string, props: ModelTamperAlertProps) {
    super(scope, id);
    const name = props.ruleName ?? `${props.store.bucketName.replaceAll(".", "-")}-tamper`;
    checkPattern(this.node.path, "ruleName", name, /^[.\-_A-Za-z0-9]{1,64}$/, "1 to 64 letters, digits, . - _");
    checkPattern(
      this.node.path,
      "topicArn",
      props.topicArn,
      /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+$/,
      "an SNS topic ARN",
    );
    this.rule = new CloudwatchEventRule(this, "Rule", {
      name,
      description: `Writes and deletes in ${props.store.bucketName} by anyone but its publishers`,
      // Publishers can be granted until synth, so the pattern is rendered then.
      eventPattern: Lazy.stringValue({
        produce: () => JSON.stringify(modelTamperPattern(props.store.bucketName, props.store.trustedWriterArns)),
      }),
    });
    new CloudwatchEventTarget(this, "Alert", {
      rule: this.rule.name,
      targetId: "security-alerts",
      arn: props.topicArn,
    });
  }
}

/** The event pattern of a {@link ModelTamperAlert}: tamper events on a bucket by a principal other than the publishers. */
export function modelTamperPattern(bucketName: string, publisherArns: readonly string[]) {
  return {
    source: ["aws.s3"],
    "detail-type": ["AWS API Call via CloudTrail"],
    detail: {
      eventSource: ["s3.amazonaws.com"],
      eventName: [...MODEL_TAMPER_EVENTS],
      requestParameters: { bucketName: [bucketName] },
      $or: [
        // Not a role session (the root user, an IAM user, an AWS service): never a publisher.
        { userIdentity: { type: [{ "anything-but": ["AssumedRole"] }] } },
        // A role session of any role but a publisher.
        { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ "anything-but": [...publisherArns] }] } } } },
      ],
    },
  };
}
