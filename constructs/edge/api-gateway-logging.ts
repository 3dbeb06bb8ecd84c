import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { Construct } from "constructs";
import { AwsContext } from "../core/aws-context";
import { checkRoleName } from "../core/validation";
import { createServiceRole } from "../identity/service-role";

/** The log groups API Gateway writes in this account: execution logs it names itself, access logs the blueprint names. */
export const API_GATEWAY_LOG_GROUPS = ["API-Gateway-Execution-Logs_*", "/aws/apigateway/*"] as const;

/** Properties of an {@link ApiGatewayLogging}. */
export interface ApiGatewayLoggingProps {
  /** The name of the role API Gateway writes logs with. */
  readonly roleName: string;
}

/**
 * API Gateway's logging role for the account and region (`aws_api_gateway_account`, a singleton): without it no REST
 * API stage can write access or execution logs. The role only API Gateway acting for this account may assume, and it
 * may only write to API Gateway's own log groups (`API-Gateway-Execution-Logs_*`, `/aws/apigateway/*`), not read them,
 * and not any other group (AWS's `AmazonAPIGatewayPushToCloudWatchLogs` allows every log group).
 */
export class ApiGatewayLogging extends Construct {
  /** The role. */
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ApiGatewayLoggingProps) {
    super(scope, id);
    checkRoleName(this.node.path, "roleName", props.roleName);
    const context = AwsContext.of(this);
    const group = (name: string) =>
      `arn:${context.partition}:logs:${context.region}:${context.accountId}:log-group:${name}`;
    const { role, policy } = createServiceRole(this, {
      roleId: "Role",
      policyId: "Policy",
      name: props.roleName,
      description: "API Gateway writes the REST APIs' access and execution logs of this account with this role",
      service: "apigateway.amazonaws.com",
      trustSid: "ApiGatewayLogging",
      policyName: "write-api-gateway-logs",
      statements: [
        {
          sid: "WriteApiGatewayLogs",
          actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
          resources: API_GATEWAY_LOG_GROUPS.flatMap((name) => [group(name), `${group(name)}:log-stream:*`]),
        },
        {
          sid: "FindLogGroups",
          actions: ["logs:DescribeLogGroups"],
          resources: [group("*")],
        },
      ],
    });
    this.role = role;
    new ApiGatewayAccount(this, "Account", { cloudwatchRoleArn: role.arn, dependsOn: [policy] });
  }
}
