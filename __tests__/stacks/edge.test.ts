import { ENVIRONMENTS } from "../../stacks/config";
import { synthBlueprint } from "../support/blueprint";
import type { TerraformJson } from "../support/synth";

type Resource = Record<string, unknown>;
const resources = (json: TerraformJson, type: string): [string, Resource][] =>
  Object.entries((json.resource?.[type] ?? {}) as Record<string, Resource>);
/** The resource a `${type.id.attribute}` expression names, with its ID. */
function follow(json: TerraformJson, expression: unknown, type: string, attribute: string): [string, Resource] {
  const match = new RegExp(`^\\$\\{${type}\\.([\\w-]+)\\.${attribute}\\}$`).exec(String(expression));
  if (!match) throw new Error(`${String(expression)} is not a reference to ${type}.*.${attribute}`);
  const found = resources(json, type).find(([id]) => id === match[1]);
  if (!found) throw new Error(`${type}.${match[1]} is not in the stack`);
  return found;
}

describe.each(Object.keys(ENVIRONMENTS))("the inference edge of %s", (name) => {
  const env = ENVIRONMENTS[name];
  const stacks = synthBlueprint(name);
  const platform = stacks[`platform-${name}`];
  const workloads = stacks[`workloads-${name}`];

  it("follows the chain: web ACL association, stage, deployment, API, VPC link, load balancer, listener, target group on the NodePort", () => {
    const [[, association]] = resources(platform, "aws_wafv2_web_acl_association");
    const [, acl] = follow(platform, association.web_acl_arn, "aws_wafv2_web_acl", "arn");
    expect(acl.scope).toBe("REGIONAL");
    const [stageId, stage] = follow(platform, association.resource_arn, "aws_api_gateway_stage", "arn");
    const [, deployment] = follow(platform, stage.deployment_id, "aws_api_gateway_deployment", "id");
    const [apiId, api] = follow(platform, deployment.rest_api_id, "aws_api_gateway_rest_api", "id");
    expect(stage.rest_api_id).toBe(`\${aws_api_gateway_rest_api.${apiId}.id}`);
    expect(api.endpoint_configuration).toEqual({ types: ["REGIONAL"] });
    expect(stageId).toBeTruthy();

    const services = Object.values((workloads.resource?.kubernetes_service_v1 ?? {}) as Record<string, Resource>);
    for (const model of env.models) {
      const [, integration] = resources(platform, "aws_api_gateway_integration").find(([id]) =>
        id.startsWith(`Api_Integration-${model.name}_`),
      ) ?? ["", {}];
      expect(integration).toMatchObject({
        type: "HTTP_PROXY",
        connection_type: "VPC_LINK",
        integration_http_method: "POST",
      });
      expect(integration.rest_api_id).toBe(`\${aws_api_gateway_rest_api.${apiId}.id}`);
      const [, link] = follow(platform, integration.connection_id, "aws_api_gateway_vpc_link", "id");
      const [lbId, lb] = follow(platform, (link.target_arns as string[])[0], "aws_lb", "arn");
      expect(lb).toMatchObject({ internal: true, load_balancer_type: "network" });
      expect(integration.uri).toBe(`http://\${aws_lb.${lbId}.dns_name}:${model.nodePort}/invoke`);
      const [, listener] = resources(platform, "aws_lb_listener").find(
        ([, l]) => l.load_balancer_arn === `\${aws_lb.${lbId}.arn}` && l.port === model.nodePort,
      ) ?? ["", {}];
      expect(listener.protocol).toBe("TCP");
      const [groupId, group] = follow(
        platform,
        (listener.default_action as { target_group_arn: string }[])[0].target_group_arn,
        "aws_lb_target_group",
        "arn",
      );
      expect(group).toMatchObject({ port: model.nodePort, protocol: "TCP", target_type: "instance" });
      // The same NodePort the workloads stack's Service of the model listens on.
      const service = services.find((s) => (s.metadata as { name: string }).name === model.name);
      expect((service?.spec as { port: { node_port: number }[] } | undefined)?.port[0].node_port).toBe(model.nodePort);
      // The target group holds the GPU nodes: attached to the GPU node group's Auto Scaling group.
      const attachments = resources(platform, "aws_autoscaling_attachment").filter(
        ([, a]) => a.lb_target_group_arn === `\${aws_lb_target_group.${groupId}.arn}`,
      );
      expect(attachments.map(([, a]) => a.autoscaling_group_name)).toEqual([
        expect.stringMatching(
          /^\$\{aws_eks_node_group\.GpuNodes_\w+\.resources\[0\]\.autoscaling_groups\[0\]\.name\}$/,
        ),
      ]);
    }
  });

  it("lets the NodePorts into the nodes from the load balancer's security group only", () => {
    const [[lbId, lb]] = resources(platform, "aws_lb");
    const lbGroup = (lb.security_groups as string[])[0];
    const nodeRules = resources(platform, "aws_vpc_security_group_ingress_rule").filter(
      ([, r]) => String(r.security_group_id).includes("Cluster_NodeSecurityGroup") && (r.from_port as number) >= 30000,
    );
    expect(nodeRules.map(([, r]) => [r.from_port, r.to_port, r.referenced_security_group_id, r.cidr_ipv4])).toEqual(
      env.models.map((m) => [m.nodePort, m.nodePort, lbGroup, undefined]),
    );
    expect(lbId).toBeTruthy();
  });

  it("authenticates every method, requires a key and validates the body", () => {
    const methods = resources(platform, "aws_api_gateway_method");
    expect(methods).toHaveLength(env.models.length);
    for (const [, method] of methods) {
      expect(method).toMatchObject({
        http_method: "POST",
        authorization: env.edge.authorization === "cognito" ? "COGNITO_USER_POOLS" : "AWS_IAM",
        api_key_required: true,
        request_validator_id: expect.stringContaining("aws_api_gateway_request_validator."),
      });
    }
    const paths = resources(platform, "aws_api_gateway_resource").map(([, r]) => r.path_part);
    for (const model of env.models)
      expect(paths).toEqual(expect.arrayContaining(["v1", "models", model.name, "invoke"]));
  });

  it("meters every consumer: a usage plan per tier with its throttle and daily quota, a key per consumer", () => {
    const plans = resources(platform, "aws_api_gateway_usage_plan")
      .sort(([, a], [, b]) => String(a.name).localeCompare(String(b.name)))
      .map(([, p]) => [p.throttle_settings, p.quota_settings]);
    expect(plans).toEqual(
      Object.entries(env.edge.tiers)
        .sort(([a], [b]) => `${env.namePrefix}-inference-${a}`.localeCompare(`${env.namePrefix}-inference-${b}`))
        .map(([, t]) => [
          { rate_limit: t.rateLimit, burst_limit: t.burstLimit },
          { limit: t.dailyQuota, period: "DAY" },
        ]),
    );
    expect(resources(platform, "aws_api_gateway_api_key")).toHaveLength(env.edge.consumers.length);
    expect(resources(platform, "aws_api_gateway_usage_plan_key")).toHaveLength(env.edge.consumers.length);
  });

  it("outputs the invoke URL and the API's ID", () => {
    expect(platform.output?.api_invoke_url).toMatchObject({
      value: expect.stringMatching(/^\$\{aws_api_gateway_stage\.Api_Stage_\w+\.invoke_url\}$/),
    });
    expect(platform.output?.api_id).toMatchObject({
      value: expect.stringMatching(/^\$\{aws_api_gateway_rest_api\.Api_RestApi_\w+\.id\}$/),
    });
  });

  it("gives API Gateway its logging role in the baseline, writing only API Gateway's log groups", () => {
    const [[, account]] = resources(stacks.baseline, "aws_api_gateway_account");
    const [, role] = follow(stacks.baseline, account.cloudwatch_role_arn, "aws_iam_role", "arn");
    expect(role.name).toBe(`${env.namePrefix}-svc-apigateway-logs`);
    const trust = JSON.parse(String(role.assume_role_policy));
    expect(trust.Statement[0].Principal).toEqual({ Service: ["apigateway.amazonaws.com"] });
    expect(Object.keys(trust.Statement[0].Condition.StringEquals)).toEqual(["aws:SourceAccount"]);
  });
});
