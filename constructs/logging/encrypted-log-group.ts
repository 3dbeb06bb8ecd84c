import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { Construct } from "constructs";
import { AwsContext } from "../core/aws-context";
import { checkPattern, ValidationError } from "../core/validation";
import type { KmsKey } from "../keys/kms-key";

/** The retention periods CloudWatch Logs accepts, in days (0, "never expire", is left out on purpose). */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Checks a retention period against what CloudWatch Logs accepts and a lower bound. */
export function checkLogRetention(where: string, property: string, days: number, minimum = 1): void {
  if (!LOG_RETENTION_DAYS.includes(days) || days < minimum) {
    const allowed = LOG_RETENTION_DAYS.filter((d) => d >= minimum).join(", ");
    throw new ValidationError(where, property, days, `allowed: one of CloudWatch Logs' periods, ${allowed}`);
  }
}

/** Properties of an {@link EncryptedLogGroup}. */
export interface EncryptedLogGroupProps {
  /** Log group name, e.g. `/smd/dev/vpc-flow-logs`: letters, digits and `. - _ / #`, 1 to 512 characters. */
  readonly name: string;
  /** The customer-managed key that encrypts the group; CloudWatch Logs is granted its use for this group only. */
  readonly encryptionKey: KmsKey;
  /** Days to keep events: one of {@link LOG_RETENTION_DAYS}. Default: 365. */
  readonly retentionInDays?: number;
  /**
   * Leaves the group and its events in place when Terraform destroys it (the events expire with the retention).
   * `false` lets a destroy delete the logs. Default: true.
   */
  readonly keepOnDestroy?: boolean;
}

/**
 * A CloudWatch log group encrypted with a customer-managed {@link KmsKey}, with a retention period and kept when
 * Terraform destroys it. The key's policy gains a statement that lets CloudWatch Logs use the key for this group
 * only (the encryption context names the group).
 */
export class EncryptedLogGroup extends Construct {
  /** The underlying `aws_cloudwatch_log_group`. */
  public readonly resource: CloudwatchLogGroup;
  /** The group's name. */
  public readonly name: string;
  /** The group's ARN, as a literal built from the name (usable in policies before the group exists). */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    const where = this.node.path;
    checkPattern(
      where,
      "name",
      props.name,
      /^[.\-_/#A-Za-z0-9]{1,512}$/,
      "letters, digits and . - _ / #, 1 to 512 characters",
    );
    const retentionInDays = props.retentionInDays ?? 365;
    checkLogRetention(where, "retentionInDays", retentionInDays);
    const context = AwsContext.of(this);
    this.name = props.name;
    this.arn = `arn:${context.partition}:logs:${context.region}:${context.accountId}:log-group:${props.name}`;
    props.encryptionKey.grantCloudWatchLogGroup(props.name);
    this.resource = new CloudwatchLogGroup(this, "LogGroup", {
      name: props.name,
      kmsKeyId: props.encryptionKey.arn,
      retentionInDays,
      skipDestroy: props.keepOnDestroy ?? true,
      tags: { Name: props.name },
    });
  }
}
