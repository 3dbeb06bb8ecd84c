import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { ConfigMapV1 } from "@cdktf/provider-kubernetes/lib/config-map-v1";
import type { DeploymentV1 } from "@cdktf/provider-kubernetes/lib/deployment-v1";
import { HorizontalPodAutoscalerV2 } from "@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2";
import { NetworkPolicyV1 } from "@cdktf/provider-kubernetes/lib/network-policy-v1";
import { PodDisruptionBudgetV1 } from "@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1";
import { ServiceAccountV1 } from "@cdktf/provider-kubernetes/lib/service-account-v1";
import { ServiceV1 } from "@cdktf/provider-kubernetes/lib/service-v1";
import { TerraformDataSource, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { GPU_NODE_LABELS, GPU_TAINT } from "../cluster/gpu-node-group";
import { parseCidr } from "../core/cidr";
import { checkIntegerInRange, checkPattern, checkRegion, ValidationError } from "../core/validation";
import { checkKubernetesName } from "../core/kubernetes-names";
import { SIGNING_KEY_SPECS, type SigningAlgorithm } from "../keys/signing-key";
import { checkModelPrefix, checkModelVersion } from "../storage/model-store";
import { Guardrails } from "../../policies/guardrails/guardrails";
import { checkImage, type MutableImageTagOptOut } from "./container-image";
import { checkWorkloadUid, restrictedContainerSecurityContext } from "./pod-security";
import { parseAmounts, parseMemory, type ResourceAmounts, resourceList } from "./quantity";
import type { SecureNamespace } from "./secure-namespace";

/** Where EKS Pod Identity's agent serves credentials on every node (IPv4 link-local), and its port. */
export const POD_IDENTITY_AGENT = { cidr: "169.254.170.23/32", port: 80 } as const;

/** The NodePort range of a default cluster. */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 } as const;

/** Pods a rolling update adds above the replica count: one, so that a new pod is ready before an old one stops. */
export const ROLLING_UPDATE_SURGE = 1;

/** An inference service's replica bounds, which its HorizontalPodAutoscaler scales between. */
export interface ReplicaBounds {
  /** Fewest replicas: 1 to 100. */
  readonly min: number;
  /** Most replicas: `min` to 100. */
  readonly max: number;
}

/** A container's requests and limits. */
export interface ContainerResources {
  /** What the scheduler reserves: CPU, memory and GPUs (at least 1). */
  readonly requests: ResourceAmounts;
  /** The most the container may use: CPU and memory at least the requests, GPUs equal to the requests. */
  readonly limits: ResourceAmounts;
}

/** HTTP probes of the model server. */
export interface InferenceProbes {
  /** Liveness (and startup) path. Default: `/healthz`. */
  readonly livenessPath?: string;
  /** Readiness path: answers 200 once the model is loaded. Default: `/ready`. */
  readonly readinessPath?: string;
  /** How long the server may take to load its model before it is restarted, in seconds: 30 to 3600. Default: 600. */
  readonly startupTimeoutSeconds?: number;
}

/** Where the service's model is. */
export interface ModelLocation {
  /** The model store's bucket. */
  readonly bucket: string;
  /** The model's key prefix, e.g. `models/fraud-detection/` (what its pod identity may read). */
  readonly prefix: string;
  /**
   * The version served: a folder under the prefix (`<prefix><version>/`) that the model release workflow published
   * and signed (`scripts/publish-model.sh`). Letters, digits, `.`, `_` and `-`, at most 64 characters.
   */
  readonly version: string;
  /** The bucket's region (the environment's). */
  readonly region: string;
}

/** How the pods check the model's signature before the model server starts. */
export interface ModelVerification {
  /**
   * The key the version's manifest must be signed with: its alias (`alias/<name>`) or ARN, e.g. a `ModelStore`'s
   * `signingKey.aliasName`. The service's pod identity needs `kms:Verify` on it, which `ModelStore.grantRead` gives.
   */
  readonly signingKey: string;
  /** The key's signing algorithm. Default: `ECDSA_SHA_256` (a `SigningKey`'s default spec, `ECC_NIST_P256`). */
  readonly signingAlgorithm?: SigningAlgorithm;
  /**
   * The verifier's image: the AWS CLI v2 (with bash and coreutils), pinned by digest, from one of `registries`, e.g.
   * ECR's pull-through cache of `public.ecr.aws/aws-cli/aws-cli`.
   */
  readonly image: string;
}

/** The init container that verifies the model, its script's name and where the verified model is. */
export const MODEL_VERIFIER = {
  container: "verify-model",
  script: "verify-model.sh",
  scriptDir: "/opt/verify-model",
  modelDir: "/models",
} as const;

/** Requests and limits of the verifier: enough for the AWS CLI's parallel downloads and hashing, no GPU. */
const VERIFIER_RESOURCES = { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } };

/** Properties of an {@link InferenceService}. */
export interface InferenceServiceProps {
  /**
   * The model's name: a Kubernetes name of at most 36 characters. It names the Deployment, the Service and the service
   * account, which must be the one the model's pod identity association (`WorkloadRole`) names.
   */
  readonly name: string;
  /** The namespace (restricted, default-deny) the service runs in; its quota must hold the service at full scale. */
  readonly namespace: SecureNamespace;
  /** The model server's image, pinned by digest: `<registry>/<repository>@sha256:<digest>`. */
  readonly image: string;
  /** Registry URI prefixes images may come from (the environment's ECR namespace). */
  readonly registries: readonly string[];
  /** Accepts an image by tag, with the reason: an explicit opt-out of digest pinning. Default: digests only. */
  readonly allowMutableTag?: MutableImageTagOptOut;
  /** The model server's HTTP port in the container: 1024 to 65535 (the container has no capability to bind below). */
  readonly port: number;
  /** The NodePort the load balancer targets: 30000 to 32767, one per service in the cluster. */
  readonly nodePort: number;
  /** Replica bounds for the HorizontalPodAutoscaler. */
  readonly replicas: ReplicaBounds;
  /** Average CPU utilization the autoscaler aims at, in percent of the request: 10 to 100. Default: 70. */
  readonly targetCpuUtilization?: number;
  /** Requests and limits of the model server (at least one GPU). */
  readonly resources: ContainerResources;
  /** The UID and GID the server runs as: 10000 or more. Default: 10001. */
  readonly runAsUser?: number;
  /** Where the model is: the pods read it through the S3 gateway endpoint with their pod identity. */
  readonly model: ModelLocation;
  /**
   * How the model's signature is verified: every pod first runs a verifier init container that downloads the
   * version into `/models`, has KMS verify the manifest's signature and checks every file against it; the model
   * server starts only if all of that passed, and mounts `/models` read-only. There is no way to turn this off.
   */
  readonly verification: ModelVerification;
  /** The VPC's CIDR: the only source the service's port admits (the load balancer and the nodes are in it). */
  readonly vpcCidr: string;
  /** Size of the `emptyDir` the verified model is kept in (`/models`): at least the model's size. Default: `20Gi`. */
  readonly modelCacheSize?: string;
  /** Size of the memory-backed `/dev/shm` (counts against the memory limit). Default: `1Gi`. */
  readonly sharedMemorySize?: string;
  /** Probes. Default: `/healthz`, `/ready`, 600 s to start. */
  readonly probes?: InferenceProbes;
}

/**
 * One model's inference service, hardened for the restricted Pod Security level and a default-deny namespace:
 * - a Deployment of the model server, pinned by digest to an image of the blueprint's registry (pulled on every
 *   start, so ECR authorizes each pull), with CPU, memory and `nvidia.com/gpu` requests and limits, tolerating the GPU
 *   taint and selecting GPU nodes, spread across zones; non-root (UID 10000+), read-only root filesystem, no
 *   privilege escalation, no capabilities, seccomp `RuntimeDefault`, no service-account token; `emptyDir` volumes for
 *   the model cache, `/tmp` and `/dev/shm`; startup, liveness and readiness probes; rolling updates that add a pod
 *   before removing one;
 * - its own service account, named after the model, which the model's pod identity association binds to its role;
 * - a PodDisruptionBudget and a HorizontalPodAutoscaler (CPU);
 * - a NodePort Service (`externalTrafficPolicy: Local`, so nodes without a replica fail the load balancer's health
 *   check and the client address is kept);
 * - a NetworkPolicy admitting the port from the VPC only, and letting the pods reach the Pod Identity agent and S3
 *   (the region's S3 prefix list, over HTTPS), nothing else beyond the namespace's DNS and endpoint allowances.
 */
export class InferenceService extends Construct {
  /** The `kubernetes_deployment_v1`. */
  public readonly deployment: DeploymentV1;
  /** The `kubernetes_service_v1` (NodePort). */
  public readonly service: ServiceV1;
  /** The `kubernetes_service_account_v1` its pod identity is bound to. */
  public readonly serviceAccount: ServiceAccountV1;
  /** The `kubernetes_network_policy_v1` of its pods. */
  public readonly networkPolicy: NetworkPolicyV1;
  /** The NodePort the load balancer targets. */
  public readonly nodePort: number;
  /** The labels its pods carry. */
  public readonly selector: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: InferenceServiceProps) {
    super(scope, id);
    const where = this.node.path;
    checkKubernetesName(where, "name", props.name);
    if (props.name.length > 36) {
      throw new ValidationError(
        where,
        "name",
        props.name,
        "allowed: at most 36 characters (the model's role name is derived from it)",
      );
    }
    const pinned = checkImage(where, "image", props.image, props.registries, props.allowMutableTag);
    checkIntegerInRange(where, "port", props.port, 1024, 65535);
    checkIntegerInRange(where, "nodePort", props.nodePort, NODE_PORT_RANGE.min, NODE_PORT_RANGE.max);
    const replicas = props.replicas;
    checkIntegerInRange(where, "replicas.min", replicas?.min, 1, 100);
    checkIntegerInRange(where, "replicas.max", replicas.max, replicas.min, 100);
    const targetCpu = props.targetCpuUtilization ?? 70;
    checkIntegerInRange(where, "targetCpuUtilization", targetCpu, 10, 100);
    checkContainerResources(where, "resources", props.resources);
    const uid = props.runAsUser ?? 10001;
    checkWorkloadUid(where, "runAsUser", uid);
    if (!parseCidr(props.vpcCidr)) throw new ValidationError(where, "vpcCidr", props.vpcCidr, "allowed: an IPv4 CIDR");
    checkModelPrefix(where, "model.prefix", props.model.prefix);
    checkModelVersion(where, "model.version", props.model.version);
    const verification = props.verification;
    if (typeof verification !== "object" || verification === null) {
      throw new ValidationError(
        where,
        "verification",
        verification,
        "allowed: { signingKey, image, signingAlgorithm? }: every inference service verifies its model's signature",
      );
    }
    checkPattern(
      where,
      "verification.signingKey",
      verification.signingKey,
      /^(alias\/[A-Za-z0-9/_-]{1,250}|arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+)$/,
      "the signing key's alias (alias/<name>) or ARN",
    );
    const algorithms: readonly string[] = Object.values(SIGNING_KEY_SPECS);
    const signingAlgorithm = verification.signingAlgorithm ?? "ECDSA_SHA_256";
    if (!algorithms.includes(signingAlgorithm)) {
      throw new ValidationError(
        where,
        "verification.signingAlgorithm",
        signingAlgorithm,
        `allowed: ${algorithms.join(", ")}`,
      );
    }
    checkImage(where, "verification.image", verification.image, props.registries);
    checkRegion(where, "model.region", props.model.region);
    const cacheSize = props.modelCacheSize ?? "20Gi";
    parseMemory(where, "modelCacheSize", cacheSize);
    const shmSize = props.sharedMemorySize ?? "1Gi";
    parseMemory(where, "sharedMemorySize", shmSize);
    const probes = props.probes ?? {};
    const livenessPath = probes.livenessPath ?? "/healthz";
    const readinessPath = probes.readinessPath ?? "/ready";
    for (const [property, path] of [
      ["probes.livenessPath", livenessPath],
      ["probes.readinessPath", readinessPath],
    ] as const) {
      if (!/^\/[\w./-]*$/.test(path)) throw new ValidationError(where, property, path, "allowed: an absolute URL path");
    }
    const startupTimeout = probes.startupTimeoutSeconds ?? 600;
    checkIntegerInRange(where, "probes.startupTimeoutSeconds", startupTimeout, 30, 3600);
    // The quota must hold the service at full scale plus the pod a rolling update adds.
    props.namespace.reserve(where, "resources", props.resources, replicas.max + ROLLING_UPDATE_SURGE);
    this.nodePort = props.nodePort;

    const namespace = props.namespace.name;
    const labels = {
      "app.kubernetes.io/name": props.name,
      "app.kubernetes.io/component": "inference",
      "app.kubernetes.io/part-of": "secure-model-deployment",
    };
    this.selector = { "app.kubernetes.io/name": props.name, "app.kubernetes.io/component": "inference" };
    const metadata = { name: props.name, namespace, labels };

    this.serviceAccount = new ServiceAccountV1(this, "ServiceAccount", {
      metadata: {
        ...metadata,
        annotations: { "secure-model-deployment/pod-identity": "EKS Pod Identity association of the platform stack" },
      },
      automountServiceAccountToken: false,
    });

    // The verifier's script, from the package: mounted read-only from a ConfigMap of the service.
    const script = new ConfigMapV1(this, "VerifierScript", {
      metadata: { ...metadata, name: `${props.name}-verify-model` },
      data: { [MODEL_VERIFIER.script]: readFileSync(join(__dirname, MODEL_VERIFIER.script), "utf8") },
      immutable: false,
    });
    const region = [
      { name: "AWS_REGION", value: props.model.region },
      { name: "AWS_DEFAULT_REGION", value: props.model.region },
    ];

    const probe = (path: string, extra: Record<string, number>) => ({
      httpGet: { path, port: "http", scheme: "HTTP" },
      timeoutSeconds: 5,
      ...extra,
    });
    // Loaded here, not at the top: the largest module of the kubernetes bindings (about 90 ms), which an app that
    // imports the library but serves no model should not pay for.
    const { DeploymentV1: Deployment } =
      require("@cdktf/provider-kubernetes/lib/deployment-v1") as typeof import("@cdktf/provider-kubernetes/lib/deployment-v1");
    this.deployment = new Deployment(this, "Deployment", {
      metadata,
      waitForRollout: true,
      spec: {
        replicas: String(replicas.min),
        revisionHistoryLimit: 5,
        selector: { matchLabels: this.selector },
        strategy: {
          type: "RollingUpdate",
          rollingUpdate: { maxSurge: String(ROLLING_UPDATE_SURGE), maxUnavailable: "0" },
        },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: this.serviceAccount.metadata.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            hostNetwork: false,
            hostPid: false,
            hostIpc: false,
            terminationGracePeriodSeconds: 30,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: String(uid),
              runAsGroup: String(uid),
              fsGroup: String(uid),
              seccompProfile: { type: "RuntimeDefault" },
            },
            nodeSelector: { ...GPU_NODE_LABELS },
            toleration: [{ key: GPU_TAINT.key, operator: "Equal", value: GPU_TAINT.value, effect: "NoSchedule" }],
            topologySpreadConstraint: [
              {
                maxSkew: 1,
                topologyKey: "topology.kubernetes.io/zone",
                whenUnsatisfiable: "DoNotSchedule",
                labelSelector: [{ matchLabels: this.selector }],
              },
              {
                maxSkew: 1,
                topologyKey: "kubernetes.io/hostname",
                whenUnsatisfiable: "ScheduleAnyway",
                labelSelector: [{ matchLabels: this.selector }],
              },
            ],
            // First, and alone with write access to /models: the verifier. A missing, wrong or tampered signature
            // makes it exit non-zero, so the model server never starts and the pod never becomes ready.
            initContainer: [
              {
                name: MODEL_VERIFIER.container,
                image: verification.image,
                imagePullPolicy: "Always",
                command: ["/bin/bash", `${MODEL_VERIFIER.scriptDir}/${MODEL_VERIFIER.script}`],
                env: [
                  { name: "MODEL_BUCKET", value: props.model.bucket },
                  { name: "MODEL_VERSION_PREFIX", value: `${props.model.prefix}${props.model.version}/` },
                  { name: "SIGNING_KEY_ID", value: verification.signingKey },
                  { name: "SIGNING_ALGORITHM", value: signingAlgorithm },
                  { name: "MODEL_DIR", value: MODEL_VERIFIER.modelDir },
                  { name: "WORK_DIR", value: "/tmp/verify-model" },
                  { name: "HOME", value: "/tmp" },
                  ...region,
                ],
                resources: {
                  requests: { ...VERIFIER_RESOURCES.requests },
                  limits: { ...VERIFIER_RESOURCES.limits },
                },
                securityContext: restrictedContainerSecurityContext(uid, uid),
                terminationMessagePolicy: "FallbackToLogsOnError",
                volumeMount: [
                  { name: "model", mountPath: MODEL_VERIFIER.modelDir },
                  { name: "tmp", mountPath: "/tmp" },
                  { name: "verifier", mountPath: MODEL_VERIFIER.scriptDir, readOnly: true },
                ],
              },
            ],
            container: [
              {
                name: "model-server",
                image: props.image,
                imagePullPolicy: "Always",
                port: [{ name: "http", containerPort: props.port, protocol: "TCP" }],
                // The server loads the verified files from MODEL_DIR, read-only; it is not told where the store is.
                env: [
                  { name: "MODEL_DIR", value: MODEL_VERIFIER.modelDir },
                  { name: "MODEL_VERSION", value: props.model.version },
                  { name: "PORT", value: String(props.port) },
                  ...region,
                ],
                resources: {
                  requests: resourceList(props.resources.requests),
                  limits: resourceList(props.resources.limits),
                },
                securityContext: restrictedContainerSecurityContext(uid, uid),
                volumeMount: [
                  { name: "model", mountPath: MODEL_VERIFIER.modelDir, readOnly: true },
                  { name: "tmp", mountPath: "/tmp" },
                  { name: "shm", mountPath: "/dev/shm" },
                ],
                startupProbe: probe(livenessPath, {
                  periodSeconds: 10,
                  failureThreshold: Math.ceil(startupTimeout / 10),
                }),
                livenessProbe: probe(livenessPath, { periodSeconds: 10, failureThreshold: 3 }),
                readinessProbe: probe(readinessPath, { periodSeconds: 5, failureThreshold: 2 }),
              },
            ],
            volume: [
              { name: "model", emptyDir: { sizeLimit: cacheSize } },
              { name: "verifier", configMap: { name: script.metadata.name, defaultMode: "0555" } },
              { name: "tmp", emptyDir: { sizeLimit: "1Gi" } },
              { name: "shm", emptyDir: { medium: "Memory", sizeLimit: shmSize } },
            ],
          },
        },
      },
      // The autoscaler owns the replica count once the Deployment exists.
      lifecycle: { ignoreChanges: ["spec[0].replicas"] },
    });
    if (!pinned && props.allowMutableTag)
      Guardrails.suppress(this.deployment, "SMD-K8S-3", props.allowMutableTag.reason);

    new PodDisruptionBudgetV1(this, "DisruptionBudget", {
      metadata,
      spec: { maxUnavailable: "1", selector: { matchLabels: this.selector } },
    });
    new HorizontalPodAutoscalerV2(this, "Autoscaler", {
      metadata,
      spec: {
        minReplicas: replicas.min,
        maxReplicas: replicas.max,
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: this.deployment.metadata.name },
        metric: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: targetCpu } },
          },
        ],
      },
    });
    this.service = new ServiceV1(this, "Service", {
      metadata,
      spec: {
        type: "NodePort",
        externalTrafficPolicy: "Local",
        selector: this.selector,
        port: [{ name: "http", port: props.port, targetPort: "http", nodePort: props.nodePort, protocol: "TCP" }],
      },
    });

    this.networkPolicy = new NetworkPolicyV1(this, "NetworkPolicy", {
      metadata: { ...metadata, name: `${props.name}-traffic` },
      spec: {
        podSelector: { matchLabels: this.selector },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
          { from: [{ ipBlock: { cidr: props.vpcCidr } }], ports: [{ port: String(props.port), protocol: "TCP" }] },
        ],
      },
    });
    // Egress: the Pod Identity agent, and S3 over HTTPS at the addresses of the region's S3 prefix list (what the
    // gateway endpoint routes). One `to` block per prefix-list entry is a dynamic block, which cdktf renders only at
    // a resource's top level: the egress rules are written as Terraform JSON.
    const s3 = s3PrefixList(this, props.model.region);
    this.networkPolicy.addOverride("spec.egress", [
      {
        to: [{ ip_block: { cidr: POD_IDENTITY_AGENT.cidr } }],
        ports: [{ port: String(POD_IDENTITY_AGENT.port), protocol: "TCP" }],
      },
      {
        dynamic: {
          to: {
            for_each: s3.entries,
            iterator: "s3",
            // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform expression over the iterator, not a template
            content: { ip_block: { cidr: "${s3.value.cidr}" } },
          },
        },
        ports: [{ port: "443", protocol: "TCP" }],
      },
    ]);
  }
}

/**
 * Checks an inference container's requests and limits: CPU and memory requests no greater than the limits, at least
 * one GPU requested and the same number as the limit (a GPU limit without a request is named as such).
 */
export function checkContainerResources(where: string, property: string, resources: ContainerResources): void {
  if (typeof resources !== "object" || resources === null || !resources.requests || !resources.limits) {
    throw new ValidationError(
      where,
      property,
      resources,
      "allowed: { requests: { cpu, memory, gpu }, limits: { cpu, memory, gpu } }",
    );
  }
  const requests = parseAmounts(where, `${property}.requests`, resources.requests);
  const limits = parseAmounts(where, `${property}.limits`, resources.limits);
  if (resources.limits.gpu !== undefined && resources.requests.gpu === undefined) {
    throw new ValidationError(
      where,
      `${property}.requests.gpu`,
      undefined,
      `allowed: the same number of GPUs as limits.gpu (${resources.limits.gpu}): a GPU limit without a request leaves the scheduler to guess`,
    );
  }
  if (requests.gpus < 1) {
    throw new ValidationError(
      where,
      `${property}.requests.gpu`,
      resources.requests.gpu,
      "allowed: 1 or more (inference runs on the GPU node group)",
    );
  }
  if (limits.gpus !== requests.gpus) {
    throw new ValidationError(
      where,
      `${property}.limits.gpu`,
      resources.limits.gpu,
      `allowed: ${requests.gpus}, the GPUs requested (Kubernetes does not overcommit GPUs)`,
    );
  }
  if (requests.millicores > limits.millicores) {
    throw new ValidationError(
      where,
      `${property}.requests.cpu`,
      resources.requests.cpu,
      `allowed: at most the limit, ${resources.limits.cpu}`,
    );
  }
  if (requests.bytes > limits.bytes) {
    throw new ValidationError(
      where,
      `${property}.requests.memory`,
      resources.requests.memory,
      `allowed: at most the limit, ${resources.limits.memory}`,
    );
  }
}

/** The region's S3 prefix list (the addresses the gateway endpoint routes), looked up once per stack. */
function s3PrefixList(scope: Construct, region: string): DataAwsEc2ManagedPrefixList {
  const stack = TerraformStack.of(scope);
  const id = `S3PrefixList-${region}`;
  const existing = stack.node.tryFindChild(id);
  // Made by this function, so by this module's copy of the bindings; still checked by cdktf's own test and the type.
  if (
    TerraformDataSource.isTerraformDataSource(existing) &&
    existing.terraformResourceType === "aws_ec2_managed_prefix_list"
  ) {
    return existing as DataAwsEc2ManagedPrefixList;
  }
  if (existing) throw new Error(`${existing.node.path}: this construct ID is reserved for the region's S3 prefix list`);
  return new DataAwsEc2ManagedPrefixList(stack, id, { name: `com.amazonaws.${region}.s3` });
}
