import { EXEC_API_VERSION } from "../../constructs/kubernetes/eks-kubernetes-provider";
import { TERRAFORM_PLAN_GROUP } from "../../constructs/kubernetes/cluster-reader";
import { DEVICE_PLUGIN_NAMESPACE } from "../../constructs/kubernetes/nvidia-device-plugin";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { buildBlueprint } from "../../stacks/blueprint";
import { ENVIRONMENTS, validateEnvironment } from "../../stacks/config";
import { synthBlueprint } from "../support/blueprint";
import type { TerraformJson } from "../support/synth";

type Resource = Record<string, unknown>;
const resourcesOf = (json: TerraformJson, type: string): Resource[] =>
  Object.values((json.resource?.[type] ?? {}) as Record<string, Resource>);
const dataOf = (json: TerraformJson, type: string): Resource[] =>
  Object.values(
    ((json as { data?: Record<string, Record<string, Resource>> }).data?.[type] ?? {}) as Record<string, Resource>,
  );

/** Every key anywhere in a JSON value. */
function keysIn(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) keysIn(v, into);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      into.push(k);
      keysIn(v, into);
    }
  }
  return into;
}

describe.each(Object.keys(ENVIRONMENTS))("the workloads stack of %s", (name) => {
  const env = ENVIRONMENTS[name];
  const stacks = synthBlueprint(name);
  const workloads = stacks[`workloads-${name}`];
  const platform = stacks[`platform-${name}`];
  const raw = JSON.stringify(workloads);

  it("configures the kubernetes provider from the cluster's name alone, with a short-lived exec token", () => {
    const providers = (workloads.provider as Record<string, Resource[]>).kubernetes;
    expect(providers).toHaveLength(1);
    const [provider] = providers;
    const [clusterId] = Object.keys((workloads as { data: Record<string, object> }).data.aws_eks_cluster);
    expect(provider).toEqual({
      host: `\${data.aws_eks_cluster.${clusterId}.endpoint}`,
      cluster_ca_certificate: `\${base64decode(data.aws_eks_cluster.${clusterId}.certificate_authority[0].data)}`,
      exec: [
        {
          api_version: EXEC_API_VERSION,
          command: "aws",
          args: [
            "eks",
            "get-token",
            "--cluster-name",
            `\${data.aws_eks_cluster.${clusterId}.name}`,
            "--region",
            env.region,
            "--output",
            "json",
          ],
        },
      ],
    });
    // The cluster is looked up by the name the platform stack outputs, and by nothing else of it.
    const [cluster] = dataOf(workloads, "aws_eks_cluster");
    expect(cluster.name).toMatch(
      /^\$\{data\.terraform_remote_state\.cross-stack-reference-input-platform-\w+\.outputs\.cross-stack-output-aws_eks_cluster\w+name\}$/,
    );
    const remote = dataOf(workloads, "terraform_remote_state");
    expect(remote).toHaveLength(1);
    const crossOutputs = Object.entries(platform.output ?? {}).filter(([k]) => k.startsWith("cross-stack-output-"));
    expect(crossOutputs).toEqual([
      [expect.any(String), { value: expect.stringMatching(/^\$\{aws_eks_cluster\.\w+\.name\}$/), sensitive: true }],
    ]);
  });

  it("holds no EKS token, credential or kubeconfig anywhere in its JSON or outputs", () => {
    const keys = keysIn(workloads);
    for (const key of ["token", "password", "client_key", "client_certificate", "config_path", "config_paths"]) {
      expect([key, keys.includes(key)]).toEqual([key, false]);
    }
    expect(dataOf(workloads, "aws_eks_cluster_auth")).toEqual([]);
    expect(raw).not.toMatch(/k8s-aws-v1\./);
    expect(Object.keys(workloads.output ?? {})).toEqual(["model_node_ports"]);
    expect(JSON.stringify(workloads.output)).not.toMatch(/token|certificate|endpoint/i);
  });

  it("makes each model namespace restricted, pinned to the cluster's version, with quota, limits and default-deny", () => {
    const namespaces = resourcesOf(workloads, "kubernetes_namespace_v1");
    const byName = Object.fromEntries(
      namespaces.map((n) => [
        (n.metadata as { name: string }).name,
        (n.metadata as { labels: Record<string, string> }).labels,
      ]),
    );
    expect(Object.keys(byName).sort()).toEqual(
      [...env.workloads.namespaces.map((n) => n.name), DEVICE_PLUGIN_NAMESPACE].sort(),
    );
    const version = `v${env.cluster.kubernetesVersion}`;
    for (const namespace of env.workloads.namespaces) {
      expect(byName[namespace.name]).toMatchObject({
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": version,
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
      });
    }
    // The device plugin's namespace alone enforces privileged; audit and warn stay at restricted.
    expect(byName[DEVICE_PLUGIN_NAMESPACE]).toMatchObject({
      "pod-security.kubernetes.io/enforce": "privileged",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
    });
    const perNamespace = (type: string) =>
      resourcesOf(workloads, type).map((r) => (r.metadata as { namespace: string }).namespace);
    const count = namespaces.length;
    expect(perNamespace("kubernetes_resource_quota_v1")).toHaveLength(count);
    expect(perNamespace("kubernetes_limit_range_v1")).toHaveLength(count);
    expect(
      resourcesOf(workloads, "kubernetes_default_service_account_v1").map((s) => s.automount_service_account_token),
    ).toEqual(Array(count).fill(false));
    const denies = resourcesOf(workloads, "kubernetes_network_policy_v1").filter(
      (p) => (p.metadata as { name: string }).name === "default-deny-all",
    );
    expect(denies).toHaveLength(count);
    for (const deny of denies) expect(deny.spec).toEqual({ pod_selector: {}, policy_types: ["Ingress", "Egress"] });
  });

  it("binds the model-reader Role (get and list pods) to the configured groups", () => {
    const [role] = resourcesOf(workloads, "kubernetes_role_v1");
    expect(role.rule).toEqual([{ api_groups: [""], resources: ["pods"], verbs: ["get", "list"] }]);
    const [binding] = resourcesOf(workloads, "kubernetes_role_binding_v1");
    expect(binding.subject).toEqual(
      (env.workloads.namespaces[0].readerGroups ?? []).map((group) => ({
        kind: "Group",
        name: group,
        api_group: "rbac.authorization.k8s.io",
      })),
    );
  });

  it("serves each model on its NodePort from a digest-pinned image of the environment's registry", () => {
    const services = resourcesOf(workloads, "kubernetes_service_v1");
    expect(services.map((s) => (s.spec as { port: { node_port: number }[] }).port[0].node_port)).toEqual(
      env.models.map((m) => m.nodePort),
    );
    const deployments = resourcesOf(workloads, "kubernetes_deployment_v1");
    const images = deployments.map(
      (d) => (d.spec as { template: { spec: { container: { image: string }[] } } }).template.spec.container[0].image,
    );
    expect(images).toEqual(
      env.models.map((m) =>
        expect.stringMatching(
          new RegExp(
            `^\\$\\{data\\.aws_caller_identity\\.\\w+\\.account_id\\}\\.dkr\\.ecr\\.${env.region}\\.amazonaws\\.com/${env.namePrefix}/${m.image}$`,
          ),
        ),
      ),
    );
    expect(workloads.output?.model_node_ports).toMatchObject({
      value: Object.fromEntries(env.models.map((m) => [m.name, m.nodePort])),
    });
  });

  it("lets the pipeline's plan role only get the kinds the stack manages, through its group", () => {
    const [reader] = resourcesOf(workloads, "kubernetes_cluster_role_v1");
    const rules = reader.rule as { verbs: string[]; resources: string[] }[];
    expect(rules.flatMap((r) => r.verbs)).toEqual(Array(rules.length).fill("get"));
    expect(rules.flatMap((r) => r.resources)).not.toContain("secrets");
    const [binding] = resourcesOf(workloads, "kubernetes_cluster_role_binding_v1");
    expect(binding.subject).toEqual([
      { kind: "Group", name: TERRAFORM_PLAN_GROUP, api_group: "rbac.authorization.k8s.io" },
    ]);
  });

  it("gives the platform's EKS access entries to the apply role (cluster-admin) and the plan role (its group only)", () => {
    const entries = resourcesOf(platform, "aws_eks_access_entry");
    const byRole = Object.fromEntries(entries.map((e) => [String(e.principal_arn).split("/").pop(), e]));
    expect(byRole[`${env.namePrefix}-ci-plan`]?.kubernetes_groups).toEqual([TERRAFORM_PLAN_GROUP]);
    const policies = resourcesOf(platform, "aws_eks_access_policy_association");
    const policyOf = (role: string) =>
      policies
        .filter((p) => String(p.principal_arn).endsWith(`:role/${role}`))
        .map((p) => String(p.policy_arn).split("/").pop());
    expect(policyOf(`${env.namePrefix}-ci-apply`)).toEqual(["AmazonEKSClusterAdminPolicy"]);
    expect(policyOf(`${env.namePrefix}-ci-plan`)).toEqual([]);
    expect(policyOf(`${env.namePrefix}-platform-viewer`)).toEqual([]);
    expect(byRole[`${env.namePrefix}-platform-viewer`]?.kubernetes_groups).toEqual(
      env.workloads.namespaces[0].readerGroups,
    );
  });
});

describe("an environment whose namespace quota cannot hold its models", () => {
  it("stops the synth naming the model's service, the namespace's quota and what the model needs", () => {
    const dev = ENVIRONMENTS.dev;
    const env = {
      ...dev,
      workloads: {
        ...dev.workloads,
        namespaces: [{ ...dev.workloads.namespaces[0], quota: { cpu: "8", memory: "32Gi", gpu: 1, pods: 10 } }],
      },
    };
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), "workloads-quota-")) });
    expect(() => buildBlueprint(app, validateEnvironment(env))).toThrow(
      /^workloads-dev\/Model-fraud-detection: resources = .* is not allowed; allowed: requests and limits that fit the quota of the namespace workloads-dev\/Namespace-ai-inference \(8000m CPU, 32 GiB memory, 1 GPU, 10 pods\): 2 pods need 6000m CPU, 24 GiB memory, 2 GPU;/,
    );
  });
});
