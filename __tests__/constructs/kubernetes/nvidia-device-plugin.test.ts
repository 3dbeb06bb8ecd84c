import { ValidationError } from "../../../constructs/core/validation";
import {
  DEVICE_PLUGIN_HOST_PATH_REASON,
  DEVICE_PLUGIN_NAMESPACE,
  DEVICE_PLUGIN_PRIVILEGE_REASON,
  DEVICE_PLUGIN_ROOT_REASON,
  NvidiaDevicePlugin,
  type NvidiaDevicePluginProps,
} from "../../../constructs/kubernetes/nvidia-device-plugin";
import { guardedSynth } from "../../support/guardrails";
import { TEST_REGISTRY, testKubernetesProvider } from "../../support/kubernetes";
import { onlyResource, resourcesOf, synthJson, testStack } from "../../support/synth";

const IMAGE = `${TEST_REGISTRY}/nvidia/k8s-device-plugin@sha256:${"cd".repeat(32)}`;
const props = (change: Partial<NvidiaDevicePluginProps> = {}): NvidiaDevicePluginProps => ({
  image: IMAGE,
  registries: [TEST_REGISTRY],
  kubernetesVersion: "1.35",
  maxGpuNodes: 4,
  ...change,
});

describe("NvidiaDevicePlugin", () => {
  const stack = testStack();
  new NvidiaDevicePlugin(stack, "DevicePlugin", props());
  const json = synthJson(stack);
  const daemonSet = onlyResource(json, "kubernetes_daemon_set_v1");
  const pod = (daemonSet.spec as { template: { spec: Record<string, unknown> } }).template.spec;
  const [container] = pod.container as Record<string, unknown>[];

  it("runs in its own namespace, the one that enforces privileged, still default-deny with no allowance", () => {
    const namespace = onlyResource(json, "kubernetes_namespace_v1");
    expect(namespace.metadata).toMatchObject({
      name: DEVICE_PLUGIN_NAMESPACE,
      labels: expect.objectContaining({
        "pod-security.kubernetes.io/enforce": "privileged",
        "pod-security.kubernetes.io/audit": "restricted",
        "pod-security.kubernetes.io/warn": "restricted",
      }),
    });
    const policies = Object.values(resourcesOf(json, "kubernetes_network_policy_v1"));
    expect(policies.map((p) => p.spec)).toEqual([{ pod_selector: {}, policy_types: ["Ingress", "Egress"] }]);
    // One pod per GPU node, plus one while a node or the DaemonSet rolls.
    expect(onlyResource(json, "kubernetes_resource_quota_v1").spec).toMatchObject({
      hard: { pods: "5", "requests.nvidia.com/gpu": "0" },
    });
  });

  it("runs only on GPU nodes, tolerating their taint, as a node-critical pod from a digest-pinned image", () => {
    expect(pod).toMatchObject({
      node_selector: { accelerator: "nvidia" },
      toleration: [{ key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }],
      priority_class_name: "system-node-critical",
      automount_service_account_token: false,
    });
    expect(container).toMatchObject({ image: IMAGE, image_pull_policy: "Always", args: ["--fail-on-init-error=true"] });
  });

  it("gets no more privilege than the kubelet's socket directory needs", () => {
    expect(container.security_context).toEqual({
      allow_privilege_escalation: false,
      privileged: false,
      read_only_root_filesystem: true,
      run_as_user: "0",
      capabilities: { drop: ["ALL"] },
      seccomp_profile: { type: "RuntimeDefault" },
    });
    expect(pod.volume).toEqual([
      { name: "device-plugin", host_path: { path: "/var/lib/kubelet/device-plugins", type: "Directory" } },
      { name: "tmp", empty_dir: { size_limit: "64Mi" } },
    ]);
    expect(pod.host_network).toBeUndefined();
    expect(container.resources).toEqual({
      requests: { cpu: "50m", memory: "64Mi" },
      limits: { cpu: "200m", memory: "256Mi" },
    });
  });

  it("records why it needs what the guardrails refuse elsewhere, and passes every other rule", () => {
    const result = guardedSynth((s) => {
      testKubernetesProvider(s);
      new NvidiaDevicePlugin(s, "DevicePlugin", props());
    });
    expect(result.open).toEqual([]);
    expect(result.error).toBeUndefined();
    expect(
      result.report.findings
        .filter((f) => f.suppressedBy)
        .map((f) => [f.ruleId, f.suppressedBy?.reason])
        .sort(),
    ).toEqual([
      ["SMD-K8S-1", DEVICE_PLUGIN_PRIVILEGE_REASON],
      ["SMD-K8S-4", DEVICE_PLUGIN_ROOT_REASON],
      ["SMD-K8S-6", DEVICE_PLUGIN_HOST_PATH_REASON],
    ]);
  });

  it.each<[string, Partial<NvidiaDevicePluginProps>, string]>([
    ["an image by tag", { image: `${TEST_REGISTRY}/nvidia/k8s-device-plugin:v0.17.1` }, "an image pinned by digest"],
    [
      "NVIDIA's registry",
      { image: `nvcr.io/nvidia/k8s-device-plugin@sha256:${"a".repeat(64)}` },
      "copy third-party images there first",
    ],
    ["no GPU node", { maxGpuNodes: 0 }, "maxGpuNodes = 0 is not allowed; allowed: a whole number from 1 to 450"],
  ])("rejects %s", (_name, change, message) => {
    expect(() => new NvidiaDevicePlugin(testStack(), "DevicePlugin", props(change))).toThrow(ValidationError);
    expect(() => new NvidiaDevicePlugin(testStack(), "DevicePlugin", props(change))).toThrow(message);
  });
});
