import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Construct } from "constructs";
import { createServiceRole } from "../identity/service-role";
import { AwsContext } from "../core/aws-context";
import { checkRoleName } from "../core/validation";
import type { KmsKey } from "../keys/kms-key";
import { EncryptedLogGroup } from "../logging/encrypted-log-group";

/** Properties of a {@link VpcFlowLog}. */
export interface VpcFlowLogProps {
  /** ID of the VPC whose traffic is logged. */
  readonly vpcId: string;
  /** Name of the log group that receives the records, e.g. `/smd-dev/vpc-flow-logs`. */
  readonly logGroupName: string;
  /** Name of the IAM role the flow-log service assumes to write them, e.g. `smd-dev-vpc-flow-logs`. */
  readonly roleName: string;
  /** Customer-managed key that encrypts the log group. */
  readonly encryptionKey: KmsKey;
  /** Days to keep records: one of CloudWatch Logs' periods. Default: 365. */
  readonly retentionInDays?: number;
}

/** Actions the flow-log service needs on its own log group: create its streams and put records in them. */
const WRITE_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"];

/**
 * Flow logs of every accepted and rejected packet of a VPC, aggregated each minute, to an {@link EncryptedLogGroup}
 * through a role that only the flow-log service of this account may assume (confused-deputy conditions on the source
 * account and flow-log ARN), and that may write to that one log group only.
 */
export class VpcFlowLog extends Construct {
  /** The `aws_flow_log`. */
  public readonly resource: FlowLog;
  /** The log group the records go to. */
  public readonly logGroup: EncryptedLogGroup;
  /** The delivery role. */
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: VpcFlowLogProps) {
    super(scope, id);
    checkRoleName(this.node.path, "roleName", props.roleName);
    const context = AwsContext.of(this);
    this.logGroup = new EncryptedLogGroup(this, "LogGroup", {
      name: props.logGroupName,
      encryptionKey: props.encryptionKey,
      retentionInDays: props.retentionInDays,
    });
    this.role = createServiceRole(this, {
      roleId: "Role",
      policyId: "RolePolicy",
      name: props.roleName,
      description: `Delivers the flow logs of one VPC to ${props.logGroupName}`,
      service: "vpc-flow-logs.amazonaws.com",
      trustSid: "FlowLogDelivery",
      sourceArn: { like: `arn:${context.partition}:ec2:${context.region}:${context.accountId}:vpc-flow-log/*` },
      policyName: "write-flow-log-group",
      statements: [
        {
          sid: "WriteOwnLogGroup",
          actions: WRITE_ACTIONS,
          resources: [this.logGroup.arn, `${this.logGroup.arn}:log-stream:*`],
        },
      ],
      maxSessionDuration: 3600,
    }).role;
    this.resource = new FlowLog(this, "FlowLog", {
      vpcId: props.vpcId,
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      logDestination: this.logGroup.resource.arn,
      iamRoleArn: this.role.arn,
      maxAggregationInterval: 60,
      tags: { Name: props.logGroupName },
    });
  }
}
