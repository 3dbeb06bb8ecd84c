import { ApiGatewayLogging } from "../../../constructs/edge/api-gateway-logging";
import { PermissionsBoundary } from "../../../constructs/identity/permissions-boundary";
import { guardedSynth } from "../../support/guardrails";
import { onlyResource, statementsOf, synthJson, testStack } from "../../support/synth";

describe("ApiGatewayLogging", () => {
  const stack = testStack();
  new ApiGatewayLogging(stack, "ApiGatewayLogging", { roleName: "smd-test-svc-apigateway-logs" });
  const json = synthJson(stack);

  it("sets the account's API Gateway logging role, which only API Gateway for this account may assume", () => {
    expect(onlyResource(json, "aws_api_gateway_account").cloudwatch_role_arn).toMatch(
      /aws_iam_role\.ApiGatewayLogging_Role_\w+\.arn/,
    );
    const [trust] = statementsOf(onlyResource(json, "aws_iam_role").assume_role_policy);
    expect(trust).toMatchObject({
      Principal: { Service: ["apigateway.amazonaws.com"] },
      Condition: { StringEquals: { "aws:SourceAccount": expect.any(String) } },
    });
  });

  it("lets it write API Gateway's own log groups only, and read none", () => {
    const statements = statementsOf(onlyResource(json, "aws_iam_role_policy").policy);
    const write = statements.find((s) => s.Sid === "WriteApiGatewayLogs");
    expect(write?.Action).toEqual([
      "logs:CreateLogGroup",
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:PutLogEvents",
    ]);
    for (const resource of (write?.Resource ?? []) as string[]) {
      expect(resource).toMatch(/:log-group:(API-Gateway-Execution-Logs_\*|\/aws\/apigateway\/\*)(:log-stream:\*)?$/);
    }
    expect(JSON.stringify(statements)).not.toMatch(/GetLogEvents|FilterLogEvents/);
  });

  it("passes every guardrail", () => {
    const result = guardedSynth((s) => {
      PermissionsBoundary.applyTo(s, "arn:aws:iam::111122223333:policy/test-boundary");
      new ApiGatewayLogging(s, "ApiGatewayLogging", { roleName: "smd-test-svc-apigateway-logs" });
    });
    expect(result.open).toEqual([]);
  });
});
