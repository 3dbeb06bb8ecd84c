import { ValidationError } from "../../../constructs/core/validation";
import { MODEL_READER_ROLE, SecureNamespace } from "../../../constructs/kubernetes/secure-namespace";
import { guardedSynth } from "../../support/guardrails";
import { testKubernetesProvider, testNamespace } from "../../support/kubernetes";
import { onlyResource, resourcesOf, synthJson, testStack } from "../../support/synth";

const policies = (json: ReturnType<typeof synthJson>) =>
  Object.fromEntries(
    Object.values(resourcesOf(json, "kubernetes_network_policy_v1")).map((p) => [
      (p.metadata as { name: string }).name,
      p.spec,
    ]),
  );

describe("SecureNamespace", () => {
  const stack = testStack();
  testNamespace(stack);
  const json = synthJson(stack);
  const namespace = onlyResource(json, "kubernetes_namespace_v1");
  const nsRef = expect.stringMatching(/^\$\{kubernetes_namespace_v1\.Namespace_\w+\.metadata\[0\]\.name\}$/);

  it("enforces, audits and warns at the restricted Pod Security level, pinned to the cluster's version", () => {
    expect(namespace.metadata).toEqual({
      name: "ai-inference",
      labels: {
        "app.kubernetes.io/managed-by": "terraform",
        "pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/enforce-version": "v1.35",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/audit-version": "v1.35",
        "pod-security.kubernetes.io/warn": "restricted",
        "pod-security.kubernetes.io/warn-version": "v1.35",
      },
    });
  });

  it("denies all ingress and egress by default and allows DNS to kube-dns and HTTPS to the endpoints, by name", () => {
    expect(policies(json)).toEqual({
      "default-deny-all": { pod_selector: {}, policy_types: ["Ingress", "Egress"] },
      "allow-dns": {
        pod_selector: {},
        policy_types: ["Egress"],
        egress: [
          {
            to: [
              {
                namespace_selector: { match_labels: { "kubernetes.io/metadata.name": "kube-system" } },
                pod_selector: { match_labels: { "k8s-app": "kube-dns" } },
              },
            ],
            ports: [
              { port: "53", protocol: "UDP" },
              { port: "53", protocol: "TCP" },
            ],
          },
        ],
      },
      "allow-vpc-endpoints": {
        pod_selector: {},
        policy_types: ["Egress"],
        egress: [{ to: [{ ip_block: { cidr: "10.20.128.0/20" } }], ports: [{ port: "443", protocol: "TCP" }] }],
      },
    });
    for (const policy of Object.values(resourcesOf(json, "kubernetes_network_policy_v1"))) {
      expect(policy.metadata).toMatchObject({ namespace: nsRef });
    }
  });

  it("caps CPU, memory, GPUs and pods, refuses load balancers and volumes claims, and gives containers defaults", () => {
    expect(onlyResource(json, "kubernetes_resource_quota_v1").spec).toEqual({
      hard: {
        "requests.cpu": "16",
        "limits.cpu": "16",
        "requests.memory": "64Gi",
        "limits.memory": "64Gi",
        "requests.nvidia.com/gpu": "4",
        pods: "10",
        "services.loadbalancers": "0",
        persistentvolumeclaims: "0",
      },
    });
    expect(onlyResource(json, "kubernetes_limit_range_v1").spec).toEqual({
      limit: [
        {
          type: "Container",
          default_request: { cpu: "100m", memory: "128Mi" },
          default: { cpu: "500m", memory: "512Mi" },
        },
      ],
    });
  });

  it("mounts no token for the default service account", () => {
    expect(onlyResource(json, "kubernetes_default_service_account_v1")).toMatchObject({
      metadata: { namespace: nsRef },
      automount_service_account_token: false,
    });
  });

  it("binds the source design's read-only model-reader Role (get and list pods) to the reader groups", () => {
    expect(onlyResource(json, "kubernetes_role_v1")).toMatchObject({
      metadata: { name: MODEL_READER_ROLE, namespace: nsRef },
      rule: [{ api_groups: [""], resources: ["pods"], verbs: ["get", "list"] }],
    });
    expect(onlyResource(json, "kubernetes_role_binding_v1")).toMatchObject({
      role_ref: {
        api_group: "rbac.authorization.k8s.io",
        kind: "Role",
        name: expect.stringContaining("kubernetes_role_v1."),
      },
      subject: [{ kind: "Group", name: "ai-inference:model-readers", api_group: "rbac.authorization.k8s.io" }],
    });
  });

  it("leaves out the Role, the DNS and the endpoint allowances when not asked for", () => {
    const bare = testStack();
    testNamespace(bare, { readerGroups: [], endpointCidrs: [], allowDns: false });
    const out = synthJson(bare);
    expect(resourcesOf(out, "kubernetes_role_v1")).toEqual({});
    expect(Object.keys(policies(out))).toEqual(["default-deny-all"]);
  });

  it("enforces privileged only with a reason, which it records as the suppression of SMD-K8S-1", () => {
    const reason = "a node agent that must mount the kubelet's device-plugin directory from the host";
    const result = guardedSynth((s) => {
      testKubernetesProvider(s);
      testNamespace(s, { allowPrivilegedPods: { reason } });
    });
    expect(result.error).toBeUndefined();
    expect(result.open).toEqual([]);
    expect(result.report.findings.filter((f) => f.suppressedBy).map((f) => [f.ruleId, f.suppressedBy?.reason])).toEqual(
      [["SMD-K8S-1", reason]],
    );
    const stack = testStack();
    testNamespace(stack, { allowPrivilegedPods: { reason } });
    const labels = (
      onlyResource(synthJson(stack), "kubernetes_namespace_v1").metadata as { labels: Record<string, string> }
    ).labels;
    expect(labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
    expect(labels["pod-security.kubernetes.io/audit"]).toBe("restricted");
    expect(() => testNamespace(testStack(), { allowPrivilegedPods: { reason: "needed" } })).toThrow(
      'Namespace: allowPrivilegedPods.reason = "needed" is not allowed; allowed: a reason of at least 40 characters',
    );
  });

  it("passes every guardrail", () => {
    const result = guardedSynth((s) => {
      testKubernetesProvider(s);
      testNamespace(s);
    });
    expect(result.open).toEqual([]);
  });

  it.each([
    ["a name that is no Kubernetes name", { name: "AI_Inference" }, 'name = "AI_Inference" is not allowed'],
    ["an unsupported Kubernetes version", { kubernetesVersion: "1.20" }, 'kubernetesVersion = "1.20" is not allowed'],
    [
      "a CPU quota Kubernetes cannot read",
      { quota: { cpu: "lots", memory: "1Gi", pods: 1 } },
      'quota.cpu = "lots" is not allowed',
    ],
    [
      "a memory quota in the wrong unit",
      { quota: { cpu: "1", memory: "8GB", pods: 1 } },
      'quota.memory = "8GB" is not allowed',
    ],
    [
      "no pods",
      { quota: { cpu: "1", memory: "1Gi", pods: 0 } },
      "quota.pods = 0 is not allowed; allowed: a whole number from 1 to 1000",
    ],
    ["half a GPU", { quota: { cpu: "1", memory: "1Gi", gpu: 0.5, pods: 1 } }, "quota.gpu = 0.5 is not allowed"],
    [
      "a reader group EKS refuses",
      { readerGroups: ["system:masters"] },
      'readerGroups = "system:masters" is not allowed',
    ],
    [
      "an endpoint CIDR that is no CIDR",
      { endpointCidrs: ["10.20.0.0"] },
      'endpointCidrs = "10.20.0.0" is not allowed',
    ],
    [
      "default requests above the default limits",
      { containerDefaults: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "500m", memory: "1Gi" } } },
      "containerDefaults = ",
    ],
  ])("rejects %s before creating anything", (_name, props, message) => {
    const stack = testStack();
    expect(() => testNamespace(stack, props as never)).toThrow(ValidationError);
    expect(() => testNamespace(testStack(), props as never)).toThrow(message);
    expect(resourcesOf(synthJson(stack), "kubernetes_namespace_v1")).toEqual({});
  });

  it("reserves its quota: a workload that does not fit beside the others is an error naming both", () => {
    const ns = testNamespace(testStack(), { quota: { cpu: "8", memory: "32Gi", gpu: 2, pods: 10 } });
    const resources = { requests: { cpu: "2", memory: "8Gi", gpu: 1 }, limits: { cpu: "3", memory: "12Gi", gpu: 1 } };
    ns.reserve("app/first", "resources", resources, 2);
    expect(() => ns.reserve("app/second", "resources", resources, 1)).toThrow(
      /^app\/second: resources = .* is not allowed; allowed: requests and limits that fit the quota of the namespace test\/Namespace \(8000m CPU, 32 GiB memory, 2 GPU, 10 pods\): 1 pods need 3000m CPU, 12 GiB memory, 1 GPU beside app\/first's 6000m CPU, 24 GiB memory, 2 GPU, 2 pods/,
    );
  });

  it("is a construct of its own: two namespaces in one stack", () => {
    const stack = testStack();
    new SecureNamespace(stack, "A", {
      name: "a",
      kubernetesVersion: "1.35",
      quota: { cpu: "1", memory: "1Gi", pods: 1 },
    });
    new SecureNamespace(stack, "B", {
      name: "b",
      kubernetesVersion: "1.35",
      quota: { cpu: "1", memory: "1Gi", pods: 1 },
    });
    expect(Object.keys(resourcesOf(synthJson(stack), "kubernetes_namespace_v1"))).toHaveLength(2);
  });
});
