import { METRICS_SERVER_PORT } from "../../../constructs/cluster/secure-eks-cluster";
import { SystemNodeGroup } from "../../../constructs/cluster/system-node-group";
import { ValidationError } from "../../../constructs/core/validation";
import { PermissionsBoundary } from "../../../constructs/identity/permissions-boundary";
import { ContainerRegistry } from "../../../constructs/registry/container-registry";
import { guardedSynth } from "../../support/guardrails";
import { TEST_NETWORK, testCluster } from "../../support/cluster";
import { onlyResource, resourcesOf, statementsOf, synthJson, testStack } from "../../support/synth";

const ROLE = (name: string) => `arn:aws:iam::111122223333:role/${name}`;

function build(props: Parameters<typeof testCluster>[1] = {}) {
  const stack = testStack();
  const cluster = testCluster(stack, props);
  return { stack, cluster, json: synthJson(stack) };
}

describe("SecureEksCluster", () => {
  const { json } = build({
    access: [
      { principalArn: ROLE("platform-admin"), policy: "cluster-admin" },
      { principalArn: ROLE("platform-viewer"), policy: "view", namespaces: ["ai-inference"] },
    ],
  });
  const cluster = onlyResource(json, "aws_eks_cluster");
  const resources = (type: string) => Object.entries(resourcesOf(json, type));

  it("has a private API endpoint only, in the private subnets, behind its own security group", () => {
    expect(cluster.vpc_config).toEqual({
      endpoint_private_access: true,
      endpoint_public_access: false,
      subnet_ids: TEST_NETWORK.subnetIds,
      security_group_ids: [
        expect.stringMatching(/^\$\{aws_security_group\.Cluster_ControlPlaneSecurityGroup_\w+\.id\}$/),
      ],
    });
  });

  it("envelope-encrypts Secrets with a key of its own that only the cluster role uses, through EKS", () => {
    expect(cluster.encryption_config).toEqual({
      resources: ["secrets"],
      provider: { key_arn: expect.stringMatching(/^\$\{aws_kms_key\.Cluster_SecretsKey_\w+\.arn\}$/) },
    });
    const [, key] = resources("aws_kms_key").find(([id]) => id.startsWith("Cluster_SecretsKey_")) ?? [];
    const statements = statementsOf(key?.policy);
    const uses = statements.filter((s) => s.Sid.startsWith("EksSecrets") || s.Sid.startsWith("EksGrants"));
    expect(uses).toHaveLength(2);
    for (const s of uses) {
      expect(s.Principal).toEqual({ AWS: [expect.stringMatching(/aws_iam_role\.Cluster_ClusterRole_\w+\.arn/)] });
      expect(s.Condition?.StringEquals).toEqual({ "kms:ViaService": "eks.eu-west-1.amazonaws.com" });
    }
    expect(statements.find((s) => s.Sid.startsWith("EksGrants"))?.Condition?.Bool).toEqual({
      "kms:GrantIsForAWSResource": true,
    });
  });

  it("logs every control-plane log type into an encrypted group it creates first", () => {
    expect(cluster.enabled_cluster_log_types).toEqual([
      "api",
      "audit",
      "authenticator",
      "controllerManager",
      "scheduler",
    ]);
    const [[id, group]] = resources("aws_cloudwatch_log_group");
    expect(group).toMatchObject({
      name: "/aws/eks/test/cluster",
      kms_key_id: expect.stringMatching(/aws_kms_key\.LogsKey_/),
      retention_in_days: 365,
    });
    expect(cluster.depends_on).toContain(`aws_cloudwatch_log_group.${id}`);
  });

  it("authenticates with access entries only, gives its creator nothing, and guards itself", () => {
    expect(cluster).toMatchObject({
      access_config: { authentication_mode: "API", bootstrap_cluster_creator_admin_permissions: false },
      bootstrap_self_managed_addons: false,
      deletion_protection: true,
      upgrade_policy: { support_type: "STANDARD" },
      version: "1.35",
    });
  });

  it("gives each configured role its access policy, cluster-wide or in its namespaces", () => {
    expect(resources("aws_eks_access_entry").map(([, e]) => [e.principal_arn, e.type])).toEqual([
      [ROLE("platform-admin"), "STANDARD"],
      [ROLE("platform-viewer"), "STANDARD"],
    ]);
    expect(resources("aws_eks_access_policy_association").map(([, a]) => [a.policy_arn, a.access_scope])).toEqual([
      ["arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", { type: "cluster" }],
      [
        "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
        { type: "namespace", namespaces: ["ai-inference"] },
      ],
    ]);
  });

  it("maps a role to Kubernetes groups without any access policy, for RBAC bindings to name", () => {
    const stack = testStack();
    testCluster(stack, {
      access: [{ principalArn: ROLE("reader"), kubernetesGroups: ["ai-inference:model-readers"] }],
    });
    const out = synthJson(stack);
    expect(Object.values(resourcesOf(out, "aws_eks_access_entry")).map((e) => e.kubernetes_groups)).toEqual([
      ["ai-inference:model-readers"],
    ]);
    expect(resourcesOf(out, "aws_eks_access_policy_association")).toEqual({});
  });

  it("lets the control plane and the nodes talk on named ports only, and the nodes reach only the VPC and S3", () => {
    const rules: Record<string, unknown>[] = [
      ...resources("aws_vpc_security_group_ingress_rule").map(([, r]) => ({ direction: "in", ...r })),
      ...resources("aws_vpc_security_group_egress_rule").map(([, r]) => ({ direction: "out", ...r })),
    ];
    for (const rule of rules) expect(String(rule.description).length).toBeGreaterThan(10);
    const summary = rules
      .map((r) => {
        const group = String(r.security_group_id).includes("ControlPlane") ? "control-plane" : "nodes";
        const peer =
          r.cidr_ipv4 ??
          r.prefix_list_id ??
          (String(r.referenced_security_group_id).includes("ControlPlane") ? "control-plane" : "nodes");
        return `${group} ${r.direction} ${r.ip_protocol}:${r.from_port ?? "all"} ${peer}`;
      })
      .sort();
    expect(summary).toEqual(
      [
        "control-plane in tcp:443 nodes",
        "control-plane out tcp:443 nodes",
        "control-plane out tcp:10250 nodes",
        "control-plane out tcp:10251 nodes",
        "nodes in tcp:443 control-plane",
        "nodes in tcp:10250 control-plane",
        "nodes in tcp:10251 control-plane",
        "nodes in -1:all nodes",
        "nodes out -1:all nodes",
        "nodes out tcp:443 control-plane",
        `nodes out tcp:443 ${TEST_NETWORK.vpcCidr}`,
        `nodes out tcp:443 ${TEST_NETWORK.s3PrefixListId}`,
      ].sort(),
    );
  });

  it("opens webhook ports to the API server only when named", () => {
    const { json: withWebhook } = build({ webhookPorts: [9443] });
    const ports = Object.values(resourcesOf(withWebhook, "aws_vpc_security_group_ingress_rule")).map(
      (r) => r.from_port,
    );
    expect(ports).toContain(9443);
    expect(() => build({ webhookPorts: [10250] })).toThrow(/webhookPorts/);
    expect(() => build({ webhookPorts: [METRICS_SERVER_PORT] })).toThrow(
      "allowed: distinct ports other than 443, 10250 and 10251 (always open)",
    );
    expect(() => build({ webhookPorts: [70000] })).toThrow(/webhookPorts/);
  });

  it("runs the VPC CNI with NetworkPolicy enforcement and its own pod identity, after the Pod Identity agent", () => {
    const addons = Object.fromEntries(resources("aws_eks_addon").map(([id, a]) => [a.addon_name, { id, ...a }]));
    expect(Object.keys(addons).sort()).toEqual([
      "coredns",
      "eks-pod-identity-agent",
      "kube-proxy",
      "metrics-server",
      "vpc-cni",
    ]);
    const cni = addons["vpc-cni"];
    expect(JSON.parse(String(cni.configuration_values))).toEqual({ enableNetworkPolicy: "true" });
    expect(cni.depends_on).toEqual(
      expect.arrayContaining([
        `aws_eks_addon.${addons["eks-pod-identity-agent"].id}`,
        expect.stringMatching(/^aws_eks_pod_identity_association\.Cluster_VpcCniRole_/),
      ]),
    );
    const [[, association]] = resources("aws_eks_pod_identity_association");
    expect(association).toMatchObject({ namespace: "kube-system", service_account: "aws-node" });
    const attachments = resources("aws_iam_role_policy_attachment").map(([, a]) => [String(a.role), a.policy_arn]);
    expect(attachments).toContainEqual([
      expect.stringMatching(/aws_iam_role\.Cluster_VpcCniRole_\w+\.name/),
      "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
    ]);
  });

  it("gives the node role the minimal worker policy and pulls from the registry and named AWS repositories only", () => {
    const nodeAttachments = resources("aws_iam_role_policy_attachment")
      .filter(([, a]) => String(a.role).includes("Cluster_NodeRole_"))
      .map(([, a]) => a.policy_arn);
    expect(nodeAttachments).toEqual(["arn:aws:iam::aws:policy/AmazonEKSWorkerNodeMinimalPolicy"]);
    const [, pull] = resources("aws_iam_role_policy").find(([, p]) => p.name === "pull-images") ?? [];
    const statements = statementsOf(pull?.policy);
    expect(statements.map((s) => s.Sid)).toEqual(["EcrAuthorization", "PullFromBlueprintRegistry", "PullAddonImages"]);
    expect(statements.find((s) => s.Sid === "PullFromBlueprintRegistry")?.Resource).toEqual([
      expect.stringMatching(/^arn:aws:ecr:eu-west-1:.+:repository\/test\/\*$/),
    ]);
    for (const arn of statements.find((s) => s.Sid === "PullAddonImages")?.Resource ?? []) {
      expect(arn).toMatch(/^arn:aws:ecr:eu-west-1:(602401143452|673884943994):repository\/[a-z]/);
    }
    const trust = statementsOf(onlyOf(json, "Cluster_NodeRole_").assume_role_policy);
    expect(trust).toEqual([
      { Sid: "PassedRole", Effect: "Allow", Principal: { Service: ["ec2.amazonaws.com"] }, Action: ["sts:AssumeRole"] },
    ]);
    const repositoryPolicy = statementsOf(Object.values(resourcesOf(json, "aws_ecr_repository_policy"))[0].policy);
    expect(repositoryPolicy.find((s) => s.Sid === "Pull")?.Principal).toEqual({
      AWS: [expect.stringMatching(/aws_iam_role\.Cluster_NodeRole_\w+\.arn/)],
    });
  });

  it("lets nodes create cached repositories under the cache's prefixes only", () => {
    const stack = testStack();
    const registry = new ContainerRegistry(stack, "CachingRegistry", {
      namespace: "cached",
      repositories: ["inference"],
      pushers: [ROLE("pusher")],
      pullThroughCache: ["k8s"],
    });
    testCluster(stack, { registry });
    const [pull] = Object.values(resourcesOf(synthJson(stack), "aws_iam_role_policy")).filter(
      (p) => p.name === "pull-images",
    );
    expect(statementsOf(pull.policy).find((s) => s.Sid === "PullThroughCache")).toMatchObject({
      Action: ["ecr:CreateRepository", "ecr:BatchImportUpstreamImage"],
      Resource: [expect.stringMatching(/:repository\/cached\/cache\/k8s\/\*$/)],
    });
  });

  it("keeps the node volumes' key usable by Auto Scaling through EC2", () => {
    const [, key] = resources("aws_kms_key").find(([id]) => id.startsWith("Cluster_NodeVolumeKey_")) ?? [];
    const uses = statementsOf(key?.policy).filter((s) => s.Sid.startsWith("Ebs"));
    expect(uses.map((s) => s.Principal)).toEqual([
      {
        AWS: [
          expect.stringMatching(/:role\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling$/),
        ],
      },
      { AWS: [expect.stringMatching(/AWSServiceRoleForAutoScaling$/)] },
    ]);
  });

  it("makes CoreDNS wait for the nodes, and the nodes for the add-ons and the node role's rights", () => {
    const stack = testStack();
    const built = testCluster(stack);
    new SystemNodeGroup(stack, "System", {
      cluster: built,
      instanceTypes: ["m7i.large"],
      scaling: { minSize: 2, desiredSize: 2, maxSize: 3 },
    });
    const out = synthJson(stack);
    const addon = (name: string) =>
      Object.entries(resourcesOf(out, "aws_eks_addon")).find(([, a]) => a.addon_name === name);
    const [groupId, group] = Object.entries(resourcesOf(out, "aws_eks_node_group"))[0];
    expect(addon("coredns")?.[1].depends_on).toEqual([`aws_eks_node_group.${groupId}`]);
    // The metrics server (what HorizontalPodAutoscalers scale by) runs on nodes too.
    expect(addon("metrics-server")?.[1].depends_on).toEqual([`aws_eks_node_group.${groupId}`]);
    expect(group.depends_on).toEqual(
      expect.arrayContaining([
        `aws_eks_addon.${addon("vpc-cni")?.[0]}`,
        `aws_eks_addon.${addon("kube-proxy")?.[0]}`,
        `aws_eks_addon.${addon("eks-pod-identity-agent")?.[0]}`,
        expect.stringMatching(/^aws_iam_role_policy_attachment\.Cluster_NodeMinimalPolicy_/),
        expect.stringMatching(/^aws_iam_role_policy\.Cluster_NodePullPolicy_/),
      ]),
    );
  });

  it("passes every guardrail", () => {
    const result = guardedSynth((stack) => {
      PermissionsBoundary.applyTo(stack, "arn:aws:iam::111122223333:policy/test-boundary");
      testCluster(stack, { access: [{ principalArn: ROLE("platform-admin"), policy: "cluster-admin" }] });
    });
    expect(result.open.filter((f) => f.level === "error").map((f) => f.message)).toEqual([]);
  });

  describe("allowPublicEndpoint, the named opt-out", () => {
    it("opens the endpoint to the allowlist only, and records the suppression of SMD-EKS-1", () => {
      const { cluster: opened, json: open } = build({ allowPublicEndpoint: { cidrs: ["203.0.113.0/24"] } });
      expect(onlyResource(open, "aws_eks_cluster").vpc_config).toMatchObject({
        endpoint_private_access: true,
        endpoint_public_access: true,
        public_access_cidrs: ["203.0.113.0/24"],
      });
      const recorded = opened.cluster.node.metadata.map((m) => m.data as { ruleId?: string; reason?: string });
      expect(recorded).toContainEqual(
        expect.objectContaining({ ruleId: "SMD-EKS-1", reason: expect.stringContaining("203.0.113.0/24") }),
      );
    });

    it.each([
      [[], /non-empty list/],
      [["0.0.0.0/0"], /never 0\.0\.0\.0\/0/],
      [["0.0.0.0/1"], /never 0\.0\.0\.0\/0/],
      [["203.0.113.0"], /IPv4 CIDRs/],
    ])("refuses %j", (cidrs, message) => {
      expect(() => build({ allowPublicEndpoint: { cidrs } })).toThrow(message);
      expect(() => build({ allowPublicEndpoint: { cidrs } })).toThrow(/allowPublicEndpoint\.cidrs/);
    });
  });

  describe("bad input", () => {
    it.each([
      ["an unknown Kubernetes version", { kubernetesVersion: "1.27" }, /kubernetesVersion = "1\.27" .*1\.34, 1\.35/],
      ["a cluster name with capitals", { name: "Test" }, /name = "Test"/],
      [
        "a single subnet",
        { network: { ...TEST_NETWORK, subnetIds: ["subnet-0123456789abcdef0"] } },
        /network\.subnetIds .* at least two availability zones/,
      ],
      [
        "cluster-admin in a namespace",
        { access: [{ principalArn: ROLE("a"), policy: "cluster-admin" as const, namespaces: ["x"] }] },
        /access\[0\]\.namespaces .*none with cluster-admin/,
      ],
      [
        "the same role twice",
        {
          access: [
            { principalArn: ROLE("a"), policy: "view" as const },
            { principalArn: ROLE("a"), policy: "edit" as const },
          ],
        },
        /access\[1\]\.principalArn .*each role once/,
      ],
      [
        "an unknown access policy",
        { access: [{ principalArn: ROLE("a"), policy: "root" as "view" }] },
        /access\[0\]\.policy/,
      ],
      [
        "a user, not a role",
        { access: [{ principalArn: "arn:aws:iam::111122223333:user/bob", policy: "view" as const }] },
        /principalArn/,
      ],
      [
        "an entry with neither a policy nor groups",
        { access: [{ principalArn: ROLE("a") }] },
        /access\[0\]\.policy = undefined is not allowed; .*or kubernetesGroups that RBAC binds/,
      ],
      [
        "namespaces without a policy",
        { access: [{ principalArn: ROLE("a"), kubernetesGroups: ["g"], namespaces: ["x"] }] },
        /access\[0\]\.namespaces .*none without a policy/,
      ],
      [
        "a group EKS reserves",
        { access: [{ principalArn: ROLE("a"), kubernetesGroups: ["system:masters"] }] },
        /access\[0\]\.kubernetesGroups = "system:masters" is not allowed/,
      ],
      ["an unknown support type", { supportType: "FOREVER" as "STANDARD" }, /supportType/],
    ])("refuses %s with an error naming the property", (_what, props, message) => {
      expect(() => build(props)).toThrow(ValidationError);
      expect(() => build(props)).toThrow(message);
    });

    it("refuses a region whose EKS add-on registry it does not know", () => {
      expect(() => testCluster(testStack("xx-nowhere-1"))).toThrow(
        /region = "xx-nowhere-1" .*EKS_ADDON_REGISTRY_ACCOUNTS/,
      );
    });
  });
});

/** The one IAM role whose logical ID starts with a prefix. */
function onlyOf(json: ReturnType<typeof synthJson>, prefix: string): Record<string, unknown> {
  const found = Object.entries(resourcesOf(json, "aws_iam_role")).filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one role ${prefix}*, found ${found.length}`);
  return found[0][1];
}
