import { ValidationError } from "../../../constructs/core/validation";
import type { InferenceLoadBalancerProps } from "../../../constructs/edge/inference-load-balancer";
import { edgeLogs, testLoadBalancer } from "../../support/edge";
import { guardedSynth } from "../../support/guardrails";
import { onlyResource, resourcesOf, statementsOf, synthJson, testStack } from "../../support/synth";

function build(props: Partial<InferenceLoadBalancerProps> = {}) {
  const stack = testStack();
  const { bucket } = edgeLogs(stack);
  const lb = testLoadBalancer(stack, bucket, props);
  return { lb, json: synthJson(stack) };
}

describe("InferenceLoadBalancer", () => {
  const { json } = build({
    models: [
      { name: "fraud-detection", nodePort: 30080 },
      { name: "churn", nodePort: 30081, healthCheckPath: "/v2/health/ready" },
    ],
  });

  it("is an internal network load balancer in the private subnets: deletion protection, cross-zone, logs, its own group", () => {
    expect(onlyResource(json, "aws_lb")).toMatchObject({
      name: "smd-test-inference",
      load_balancer_type: "network",
      internal: true,
      subnets: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"],
      security_groups: [expect.stringContaining("aws_security_group.LoadBalancer_SecurityGroup_")],
      enforce_security_group_inbound_rules_on_private_link_traffic: "on",
      enable_cross_zone_load_balancing: true,
      enable_deletion_protection: true,
      access_logs: { bucket: "smd-test-edge-logs", prefix: "load-balancers/smd-test-inference", enabled: true },
    });
  });

  it("lets the log delivery service write its logs, for this account only", () => {
    const policy = statementsOf(onlyResource(json, "aws_s3_bucket_policy").policy);
    const delivery = policy.filter((s) => JSON.stringify(s.Principal).includes("delivery.logs.amazonaws.com"));
    expect(delivery.map((s) => s.Action)).toEqual([["s3:PutObject"], ["s3:GetBucketAcl"]]);
    expect(delivery[0].Resource).toEqual([
      expect.stringMatching(/^arn:aws:s3:::smd-test-edge-logs\/load-balancers\/smd-test-inference\/AWSLogs\/.+\/\*$/),
    ]);
    for (const statement of delivery) {
      expect(statement.Condition).toMatchObject({
        StringEquals: expect.objectContaining({ "aws:SourceAccount": expect.any(String) }),
        ArnLike: { "aws:SourceArn": expect.stringMatching(/^arn:aws:logs:eu-west-1:/) },
      });
    }
  });

  it("gives each model a TCP listener and a target group on its NodePort, health-checked on its readiness path", () => {
    const groups = Object.values(resourcesOf(json, "aws_lb_target_group")).sort(
      (a, b) => Number(a.port) - Number(b.port),
    );
    expect(
      groups.map((g) => [g.name, g.port, g.protocol, g.target_type, (g.health_check as { path: string }).path]),
    ).toEqual([
      ["smd-test-inference-30080", 30080, "TCP", "instance", "/ready"],
      ["smd-test-inference-30081", 30081, "TCP", "instance", "/v2/health/ready"],
    ]);
    expect(
      Object.values(resourcesOf(json, "aws_lb_listener"))
        .map((l) => [l.port, l.protocol])
        .sort(),
    ).toEqual([
      [30080, "TCP"],
      [30081, "TCP"],
    ]);
    expect(Object.values(resourcesOf(json, "aws_autoscaling_attachment")).map((a) => a.autoscaling_group_name)).toEqual(
      ["eks-gpu-nodes", "eks-gpu-nodes"],
    );
  });

  it("admits the listeners from the VPC, reaches the NodePorts only, and opens each NodePort on the nodes to itself only", () => {
    const ingress = Object.values(resourcesOf(json, "aws_vpc_security_group_ingress_rule"));
    const egress = Object.values(resourcesOf(json, "aws_vpc_security_group_egress_rule"));
    const lbGroup = expect.stringContaining("aws_security_group.LoadBalancer_SecurityGroup_");
    const fromLb = ingress.filter((r) => r.security_group_id === "sg-0123456789abcdef0");
    const toLb = ingress.filter((r) => r.security_group_id !== "sg-0123456789abcdef0");
    expect(toLb.map((r) => [r.security_group_id, r.from_port, r.cidr_ipv4]).sort()).toEqual([
      [lbGroup, 30080, "10.20.0.0/16"],
      [lbGroup, 30081, "10.20.0.0/16"],
    ]);
    expect(fromLb.map((r) => [r.from_port, r.to_port, r.referenced_security_group_id]).sort()).toEqual([
      [30080, 30080, lbGroup],
      [30081, 30081, lbGroup],
    ]);
    expect(egress.map((r) => [r.from_port, r.to_port, r.referenced_security_group_id]).sort()).toEqual([
      [30080, 30080, "sg-0123456789abcdef0"],
      [30081, 30081, "sg-0123456789abcdef0"],
    ]);
    for (const rule of [...ingress, ...egress]) expect(String(rule.description).length).toBeGreaterThan(10);
  });

  it("passes every guardrail", () => {
    const result = guardedSynth((s) => {
      const { bucket } = edgeLogs(s);
      testLoadBalancer(s, bucket);
    });
    expect(result.open).toEqual([]);
  });

  it.each<[string, Partial<InferenceLoadBalancerProps>, string]>([
    ["a name too long", { name: "a".repeat(33) }, "name = "],
    ["one subnet", { subnetIds: ["subnet-0123456789abcdef0"] }, "subnetIds = "],
    ["no Auto Scaling group", { autoScalingGroupNames: [] }, "autoScalingGroupNames = []"],
    ["no model", { models: [] }, "models = []"],
    [
      "two models on one NodePort",
      {
        models: [
          { name: "a", nodePort: 30080 },
          { name: "b", nodePort: 30080 },
        ],
      },
      "models[1].nodePort = 30080 is not allowed; allowed: a NodePort no other model uses",
    ],
    ["a port outside the NodePort range", { models: [{ name: "a", nodePort: 8080 }] }, "models[0].nodePort = 8080"],
    [
      "a health check path that is no path",
      { models: [{ name: "a", nodePort: 30080, healthCheckPath: "ready" }] },
      "healthCheckPath",
    ],
    ["a VPC CIDR that is no CIDR", { vpcCidr: "10.20.0.0" }, 'vpcCidr = "10.20.0.0"'],
  ])("rejects %s", (_name, props, message) => {
    expect(() => build(props)).toThrow(ValidationError);
    expect(() => build(props)).toThrow(message);
  });
});
