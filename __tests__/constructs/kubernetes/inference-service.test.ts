import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ValidationError } from "../../../constructs/core/validation";
import {
  InferenceService,
  type InferenceServiceProps,
  POD_IDENTITY_AGENT,
} from "../../../constructs/kubernetes/inference-service";
import { guardedSynth } from "../../support/guardrails";
import {
  inferenceProps,
  TEST_IMAGE,
  TEST_REGISTRY,
  TEST_VERIFIER_IMAGE,
  testKubernetesProvider,
  testNamespace,
} from "../../support/kubernetes";
import { onlyResource, resourcesOf, synthJson, testStack } from "../../support/synth";

function build(props: Partial<InferenceServiceProps> = {}) {
  const stack = testStack();
  const namespace = testNamespace(stack);
  const service = new InferenceService(stack, "Fraud", inferenceProps(namespace, props));
  return { stack, service, json: synthJson(stack) };
}

type PodSpec = {
  container: Record<string, unknown>[];
  security_context: Record<string, unknown>;
  volume: Record<string, unknown>[];
  [key: string]: unknown;
};

describe("InferenceService", () => {
  const { json } = build();
  const deployment = onlyResource(json, "kubernetes_deployment_v1");
  const spec = deployment.spec as { template: { spec: PodSpec }; [key: string]: unknown };
  const pod = spec.template.spec;
  const [container] = pod.container;
  const selector = { "app.kubernetes.io/name": "fraud-detection", "app.kubernetes.io/component": "inference" };

  it("runs the digest-pinned image, pulled on every start, with CPU, memory and GPU requests and limits", () => {
    expect(container).toMatchObject({
      name: "model-server",
      image: TEST_IMAGE,
      image_pull_policy: "Always",
      port: [{ name: "http", container_port: 8080, protocol: "TCP" }],
      resources: {
        requests: { cpu: "2", memory: "8Gi", "nvidia.com/gpu": "1" },
        limits: { cpu: "3", memory: "12Gi", "nvidia.com/gpu": "1" },
      },
    });
  });

  it("runs restricted: non-root high UID, read-only root, no escalation, no capabilities, seccomp, no token", () => {
    expect(pod.security_context).toEqual({
      run_as_non_root: true,
      run_as_user: "10001",
      run_as_group: "10001",
      fs_group: "10001",
      seccomp_profile: { type: "RuntimeDefault" },
    });
    expect(container.security_context).toEqual({
      allow_privilege_escalation: false,
      privileged: false,
      read_only_root_filesystem: true,
      run_as_non_root: true,
      run_as_user: "10001",
      run_as_group: "10001",
      capabilities: { drop: ["ALL"] },
      seccomp_profile: { type: "RuntimeDefault" },
    });
    expect(pod).toMatchObject({
      automount_service_account_token: false,
      enable_service_links: false,
      host_network: false,
      host_pid: false,
      host_ipc: false,
      service_account_name: expect.stringContaining("kubernetes_service_account_v1."),
    });
  });

  it("runs on GPU nodes only, tolerating their taint, spread across zones", () => {
    expect(pod.node_selector).toEqual({ accelerator: "nvidia", workload: "gpu-inference" });
    expect(pod.toleration).toEqual([{ key: "nvidia.com/gpu", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    expect(pod.topology_spread_constraint).toEqual([
      {
        max_skew: 1,
        topology_key: "topology.kubernetes.io/zone",
        when_unsatisfiable: "DoNotSchedule",
        label_selector: [{ match_labels: selector }],
      },
      {
        max_skew: 1,
        topology_key: "kubernetes.io/hostname",
        when_unsatisfiable: "ScheduleAnyway",
        label_selector: [{ match_labels: selector }],
      },
    ]);
  });

  it("writes only to emptyDir volumes: the verified model (read-only to the server), /tmp and a memory-backed /dev/shm", () => {
    expect(pod.volume).toEqual([
      { name: "model", empty_dir: { size_limit: "20Gi" } },
      {
        name: "verifier",
        config_map: {
          name: expect.stringMatching(
            /^\$\{kubernetes_config_map_v1\.Fraud_VerifierScript_\w+\.metadata\[0\]\.name\}$/,
          ),
          default_mode: "0555",
        },
      },
      { name: "tmp", empty_dir: { size_limit: "1Gi" } },
      { name: "shm", empty_dir: { medium: "Memory", size_limit: "1Gi" } },
    ]);
    expect(container.volume_mount).toEqual([
      { name: "model", mount_path: "/models", read_only: true },
      { name: "tmp", mount_path: "/tmp" },
      { name: "shm", mount_path: "/dev/shm" },
    ]);
    // The server loads what the verifier checked; it is not told where the store is.
    expect(container.env).toEqual([
      { name: "MODEL_DIR", value: "/models" },
      { name: "MODEL_VERSION", value: "v3" },
      { name: "PORT", value: "8080" },
      { name: "AWS_REGION", value: "eu-west-1" },
      { name: "AWS_DEFAULT_REGION", value: "eu-west-1" },
    ]);
  });

  describe("verifies the model's signature before the server starts", () => {
    const init = (pod as PodSpec & { init_container: Record<string, unknown>[] }).init_container;

    it("with one init container, from the digest-pinned verifier image, running the shipped script", () => {
      expect(init).toHaveLength(1);
      expect(init[0]).toMatchObject({
        name: "verify-model",
        image: TEST_VERIFIER_IMAGE,
        image_pull_policy: "Always",
        command: ["/bin/bash", "/opt/verify-model/verify-model.sh"],
        termination_message_policy: "FallbackToLogsOnError",
      });
      const script = onlyResource(json, "kubernetes_config_map_v1") as {
        metadata: { name: string };
        data: Record<string, string>;
      };
      expect(script.metadata.name).toBe("fraud-detection-verify-model");
      expect(script.data).toEqual({
        "verify-model.sh": readFileSync(join(__dirname, "../../../constructs/kubernetes/verify-model.sh"), "utf8"),
      });
    });

    it("of the exact version, with the store's signing key and algorithm", () => {
      expect(init[0].env).toEqual([
        { name: "MODEL_BUCKET", value: "smd-test-models" },
        { name: "MODEL_VERSION_PREFIX", value: "models/fraud-detection/v3/" },
        { name: "SIGNING_KEY_ID", value: "alias/smd-test-models-signing" },
        { name: "SIGNING_ALGORITHM", value: "ECDSA_SHA_256" },
        { name: "MODEL_DIR", value: "/models" },
        { name: "WORK_DIR", value: "/tmp/verify-model" },
        { name: "HOME", value: "/tmp" },
        { name: "AWS_REGION", value: "eu-west-1" },
        { name: "AWS_DEFAULT_REGION", value: "eu-west-1" },
      ]);
    });

    it("with no more than it needs: restricted, no GPU, its script read-only, the model folder its only output", () => {
      expect(init[0].security_context).toEqual(container.security_context);
      expect(init[0].resources).toEqual({
        requests: { cpu: "250m", memory: "256Mi" },
        limits: { cpu: "1", memory: "1Gi" },
      });
      expect(init[0].volume_mount).toEqual([
        { name: "model", mount_path: "/models" },
        { name: "tmp", mount_path: "/tmp" },
        { name: "verifier", mount_path: "/opt/verify-model", read_only: true },
      ]);
    });
  });

  it("probes startup (long enough to load the model), liveness and readiness", () => {
    expect(container.startup_probe).toEqual({
      http_get: { path: "/healthz", port: "http", scheme: "HTTP" },
      timeout_seconds: 5,
      period_seconds: 10,
      failure_threshold: 60,
    });
    expect(container.liveness_probe).toMatchObject({ http_get: { path: "/healthz" }, failure_threshold: 3 });
    expect(container.readiness_probe).toMatchObject({ http_get: { path: "/ready" }, period_seconds: 5 });
  });

  it("rolls out a new pod before stopping an old one and leaves the replica count to the autoscaler", () => {
    expect(spec).toMatchObject({
      replicas: "1",
      strategy: { type: "RollingUpdate", rolling_update: { max_surge: "1", max_unavailable: "0" } },
    });
    expect(deployment.lifecycle).toEqual({ ignore_changes: ["spec[0].replicas"] });
    expect(deployment.wait_for_rollout).toBe(true);
    expect(onlyResource(json, "kubernetes_horizontal_pod_autoscaler_v2").spec).toMatchObject({
      min_replicas: 1,
      max_replicas: 2,
      scale_target_ref: { api_version: "apps/v1", kind: "Deployment" },
      metric: [
        { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", average_utilization: 70 } } },
      ],
    });
    expect(onlyResource(json, "kubernetes_pod_disruption_budget_v1").spec).toEqual({
      max_unavailable: "1",
      selector: { match_labels: selector },
    });
  });

  it("runs as its own service account, named after the model (the pod identity association's), with no token", () => {
    expect(onlyResource(json, "kubernetes_service_account_v1")).toMatchObject({
      metadata: { name: "fraud-detection" },
      automount_service_account_token: false,
    });
  });

  it("is reached on its NodePort, keeping the client address and only at nodes that run a replica", () => {
    expect(onlyResource(json, "kubernetes_service_v1").spec).toEqual({
      type: "NodePort",
      external_traffic_policy: "Local",
      selector,
      port: [{ name: "http", port: 8080, target_port: "http", node_port: 30080, protocol: "TCP" }],
    });
  });

  it("admits its port from the VPC only and reaches only the Pod Identity agent and S3 over HTTPS", () => {
    const policy = Object.values(resourcesOf(json, "kubernetes_network_policy_v1")).find(
      (p) => (p.metadata as { name: string }).name === "fraud-detection-traffic",
    );
    const [prefixListId] = Object.keys((json as { data: Record<string, object> }).data.aws_ec2_managed_prefix_list);
    expect(policy?.spec).toEqual({
      pod_selector: { match_labels: selector },
      policy_types: ["Ingress", "Egress"],
      ingress: [{ from: [{ ip_block: { cidr: "10.20.0.0/16" } }], ports: [{ port: "8080", protocol: "TCP" }] }],
      egress: [
        { to: [{ ip_block: { cidr: POD_IDENTITY_AGENT.cidr } }], ports: [{ port: "80", protocol: "TCP" }] },
        {
          dynamic: {
            to: {
              for_each: `\${tolist(data.aws_ec2_managed_prefix_list.${prefixListId}.entries)}`,
              iterator: "s3",
              content: { ip_block: { cidr: "${s3.value.cidr}" } },
            },
          },
          ports: [{ port: "443", protocol: "TCP" }],
        },
      ],
    });
    expect(
      Object.values((json as { data: Record<string, Record<string, unknown>> }).data.aws_ec2_managed_prefix_list),
    ).toEqual([{ name: "com.amazonaws.eu-west-1.s3" }]);
  });

  it("looks the S3 prefix list up once per stack, however many services", () => {
    const stack = testStack();
    const namespace = testNamespace(stack, { quota: { cpu: "32", memory: "128Gi", gpu: 8, pods: 10 } });
    new InferenceService(stack, "A", inferenceProps(namespace, { name: "a", nodePort: 30081 }));
    new InferenceService(stack, "B", inferenceProps(namespace, { name: "b", nodePort: 30082 }));
    const out = synthJson(stack) as { data: Record<string, object> };
    expect(Object.keys(out.data.aws_ec2_managed_prefix_list)).toHaveLength(1);
  });

  it("passes every guardrail", () => {
    const result = guardedSynth((s) => {
      testKubernetesProvider(s);
      new InferenceService(s, "Fraud", inferenceProps(testNamespace(s)));
    });
    expect(result.open).toEqual([]);
    expect(result.error).toBeUndefined();
  });

  it("accepts an image by tag only with a reason, which it records as the suppression of SMD-K8S-3", () => {
    const reason = "development cluster: the image is rebuilt and re-tagged on every commit";
    const tagged = `${TEST_REGISTRY}/inference:dev`;
    const result = guardedSynth((s) => {
      testKubernetesProvider(s);
      new InferenceService(
        s,
        "Fraud",
        inferenceProps(testNamespace(s), { image: tagged, allowMutableTag: { reason } }),
      );
    });
    expect(result.open).toEqual([]);
    expect(result.report.findings.filter((f) => f.suppressedBy).map((f) => [f.ruleId, f.suppressedBy?.reason])).toEqual(
      [["SMD-K8S-3", reason]],
    );
  });

  const gpu1 = { requests: { cpu: "2", memory: "8Gi", gpu: 1 }, limits: { cpu: "3", memory: "12Gi", gpu: 1 } };
  it.each<[string, Partial<InferenceServiceProps>, string]>([
    [
      "an image by tag",
      { image: `${TEST_REGISTRY}/inference:1.0` },
      "an image pinned by digest (<repository>@sha256:<digest>)",
    ],
    [
      "an image without a digest or tag",
      { image: `${TEST_REGISTRY}/inference` },
      "allowed: <registry>/<repository>@sha256:",
    ],
    ["a short digest", { image: `${TEST_REGISTRY}/inference@sha256:abc` }, "allowed: <registry>/<repository>@sha256:"],
    [
      "an image of another registry",
      { image: `docker.io/library/python@sha256:${"a".repeat(64)}` },
      `allowed: images of the blueprint's registry (${TEST_REGISTRY})`,
    ],
    [
      "a registry that only starts like ours",
      { image: `${TEST_REGISTRY}-evil/inference@sha256:${"a".repeat(64)}` },
      "allowed: images of the blueprint's registry",
    ],
    [
      "a tag opt-out without a real reason",
      { image: `${TEST_REGISTRY}/inference:1.0`, allowMutableTag: { reason: "dev" } },
      'allowMutableTag.reason = "dev" is not allowed',
    ],
    [
      "a GPU limit without a request",
      { resources: { requests: { cpu: "2", memory: "8Gi" }, limits: { cpu: "3", memory: "12Gi", gpu: 1 } } },
      "resources.requests.gpu = undefined is not allowed; allowed: the same number of GPUs as limits.gpu (1): a GPU limit without a request",
    ],
    [
      "fewer GPUs limited than requested",
      { resources: { requests: { ...gpu1.requests, gpu: 2 }, limits: gpu1.limits } },
      "resources.limits.gpu = 1 is not allowed; allowed: 2, the GPUs requested",
    ],
    [
      "no GPU at all",
      { resources: { requests: { cpu: "2", memory: "8Gi" }, limits: { cpu: "3", memory: "12Gi" } } },
      "resources.requests.gpu = undefined is not allowed; allowed: 1 or more",
    ],
    [
      "more memory requested than limited",
      { resources: { requests: { ...gpu1.requests, memory: "16Gi" }, limits: gpu1.limits } },
      'resources.requests.memory = "16Gi" is not allowed; allowed: at most the limit, 12Gi',
    ],
    [
      "UID 0",
      { runAsUser: 0 },
      "runAsUser = 0 is not allowed; allowed: a non-root ID from 10000 to 2147483647; 0 is root",
    ],
    ["a low UID", { runAsUser: 1000 }, "runAsUser = 1000 is not allowed; allowed: a whole number from 10000"],
    ["a privileged port", { port: 80 }, "port = 80 is not allowed; allowed: a whole number from 1024 to 65535"],
    [
      "a NodePort outside the range",
      { nodePort: 8080 },
      "nodePort = 8080 is not allowed; allowed: a whole number from 30000 to 32767",
    ],
    ["zero replicas", { replicas: { min: 0, max: 1 } }, "replicas.min = 0 is not allowed"],
    [
      "a maximum below the minimum",
      { replicas: { min: 2, max: 1 } },
      "replicas.max = 1 is not allowed; allowed: a whole number from 2 to 100",
    ],
    ["a name too long for its role", { name: "m".repeat(37) }, "allowed: at most 36 characters"],
    [
      "a model prefix without its slash",
      { model: { bucket: "b", prefix: "models/fraud", version: "v1", region: "eu-west-1" } },
      "model.prefix",
    ],
    [
      "a probe path that is no path",
      { probes: { readinessPath: "ready" } },
      'probes.readinessPath = "ready" is not allowed',
    ],
    [
      "a startup timeout too short",
      { probes: { startupTimeoutSeconds: 5 } },
      "probes.startupTimeoutSeconds = 5 is not allowed",
    ],
    [
      "a model version that is no folder name",
      { model: { bucket: "b", prefix: "models/fraud/", version: "../v1", region: "eu-west-1" } },
      'model.version = "../v1" is not allowed',
    ],
    [
      "no verification",
      { verification: undefined },
      "verification = undefined is not allowed; allowed: { signingKey, image, signingAlgorithm? }",
    ],
    [
      "a signing key that is no alias or ARN",
      { verification: { signingKey: "my-key", image: TEST_VERIFIER_IMAGE } },
      'verification.signingKey = "my-key" is not allowed',
    ],
    [
      "a signing algorithm KMS signing keys do not use",
      {
        verification: {
          signingKey: "alias/k",
          image: TEST_VERIFIER_IMAGE,
          signingAlgorithm: "HMAC_SHA_256" as "ECDSA_SHA_256",
        },
      },
      'verification.signingAlgorithm = "HMAC_SHA_256" is not allowed',
    ],
    [
      "a verifier image by tag",
      { verification: { signingKey: "alias/k", image: `${TEST_REGISTRY}/cache/ecr-public/aws-cli/aws-cli:latest` } },
      "verification.image",
    ],
    [
      "a model cache size Kubernetes cannot read",
      { modelCacheSize: "20 GB" },
      'modelCacheSize = "20 GB" is not allowed',
    ],
  ])("rejects %s before creating anything", (_name, props, message) => {
    const stack = testStack();
    const namespace = testNamespace(stack);
    expect(() => new InferenceService(stack, "Fraud", inferenceProps(namespace, props))).toThrow(ValidationError);
    expect(() => new InferenceService(testStack(), "Fraud", inferenceProps(testNamespace(testStack()), props))).toThrow(
      message,
    );
    expect(resourcesOf(synthJson(stack), "kubernetes_deployment_v1")).toEqual({});
  });

  it("rejects a quota below what the service needs at full scale and during a rollout", () => {
    const stack = testStack();
    // 3 replicas + 1 surge pod need 4 GPUs; the namespace has 3.
    const namespace = testNamespace(stack, { quota: { cpu: "64", memory: "256Gi", gpu: 3, pods: 20 } });
    expect(
      () => new InferenceService(stack, "Fraud", inferenceProps(namespace, { replicas: { min: 1, max: 3 } })),
    ).toThrow(
      /^test\/Fraud: resources = .* is not allowed; allowed: requests and limits that fit the quota of the namespace test\/Namespace \(64000m CPU, 256 GiB memory, 3 GPU, 20 pods\): 4 pods need 12000m CPU, 48 GiB memory, 4 GPU;/,
    );
    expect(resourcesOf(synthJson(stack), "kubernetes_deployment_v1")).toEqual({});
  });
});
