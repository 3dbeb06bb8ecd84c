import {
  ENVIRONMENTS,
  type EnvironmentConfig,
  loadEnvironment,
  type ModelConfig,
  validateEnvironment,
} from "../../stacks/config";

const dev = ENVIRONMENTS.dev;
/** The shipped dev model, changed. */
const model = (change: Partial<ModelConfig>): ModelConfig => ({ ...dev.models[0], ...change });
const prod = ENVIRONMENTS.prod;

/** A copy of an environment with some fields replaced (nested objects merged one level deep). */
function withChange(env: EnvironmentConfig, change: Record<string, unknown>): EnvironmentConfig {
  const out: Record<string, unknown> = { ...env };
  for (const [key, value] of Object.entries(change)) {
    const current = out[key];
    out[key] =
      value && typeof value === "object" && !Array.isArray(value) && current && typeof current === "object"
        ? { ...current, ...value }
        : value;
  }
  return out as unknown as EnvironmentConfig;
}

describe("environment config", () => {
  it.each(Object.keys(ENVIRONMENTS))("ships a valid %s environment", (name) => {
    expect(loadEnvironment(name)).toBe(ENVIRONMENTS[name]);
  });

  it("hardens prod beyond dev", () => {
    expect(prod.production).toBe(true);
    expect(prod.availabilityZones.length).toBeGreaterThanOrEqual(3);
    expect(prod.network.flowLogRetentionInDays).toBeGreaterThanOrEqual(365);
    expect(prod.keyDeletionWindowInDays).toBe(30);
    expect(prod.tags.dataClassification).toBe("restricted");
    expect(prod.modelStore.replicaRegion).not.toBe(prod.region);
    expect(prod.modelStore.objectLock.days).toBeGreaterThan(dev.modelStore.objectLock.days);
  });

  it("rejects an unknown environment, listing the known ones", () => {
    expect(() => loadEnvironment("staging")).toThrow(
      'BLUEPRINT_ENV: environment = "staging" is not allowed; known environments: dev, prod',
    );
  });

  it("rejects an environment listed under another name", () => {
    expect(() => loadEnvironment("qa", { qa: dev })).toThrow(/environment "qa": name = "dev" .* "qa"/);
  });

  it.each<[string, EnvironmentConfig, string]>([
    ["a bad name", withChange(dev, { name: "Dev-1" }), 'environment "Dev-1": name = "Dev-1" is not allowed'],
    [
      "an invented region",
      withChange(dev, { region: "europe-west1" }),
      'region = "europe-west1" is not allowed; allowed: an AWS region name',
    ],
    [
      "a short account ID",
      withChange(dev, { accountId: "12345" }),
      'accountId = "12345" is not allowed; allowed: 12 digits',
    ],
    [
      "one availability zone",
      withChange(dev, { availabilityZones: ["eu-west-1a"] }),
      'availabilityZones = ["eu-west-1a"] is not allowed; allowed: 2 to 6 distinct zone names of one region',
    ],
    [
      "seven availability zones",
      withChange(dev, { availabilityZones: ["a", "b", "c", "d", "e", "f", "g"].map((z) => `eu-west-1${z}`) }),
      "availabilityZones = [",
    ],
    [
      "a zone twice",
      withChange(dev, { availabilityZones: ["eu-west-1a", "eu-west-1a"] }),
      'availabilityZones = ["eu-west-1a","eu-west-1a"] is not allowed; allowed: 2 to 6 distinct',
    ],
    [
      "a zone of another region",
      withChange(dev, { availabilityZones: ["eu-west-1a", "eu-west-1b"], region: "eu-west-2" }),
      'availabilityZones = "eu-west-1a" is not allowed; allowed: zones of the region eu-west-2',
    ],
    [
      "two zones in production",
      withChange(prod, { availabilityZones: ["eu-west-1a", "eu-west-1b"] }),
      'availabilityZones = ["eu-west-1a","eu-west-1b"] is not allowed; allowed: at least 3 zones in a production environment',
    ],
    [
      "a repository without an owner",
      withChange(dev, { ci: { repository: "secure-model-deployment" } }),
      'ci.repository = "secure-model-deployment" is not allowed; allowed: a GitHub repository as owner/name',
    ],
    [
      "a wildcard repository",
      withChange(dev, { ci: { repository: "example-org/*" } }),
      'ci.repository = "example-org/*" is not allowed',
    ],
    [
      "an unknown OIDC provider mode",
      withChange(dev, { ci: { oidcProvider: "import" } }),
      'ci.oidcProvider = "import" is not allowed; allowed: create or existing',
    ],
    [
      "an unknown egress mode",
      withChange(dev, { network: { egress: "open" } }),
      'network.egress = "open" is not allowed; allowed: one of none, nat, single-nat',
    ],
    [
      "a retention CloudWatch Logs does not offer",
      withChange(dev, { network: { flowLogRetentionInDays: 100 } }),
      "network.flowLogRetentionInDays = 100 is not allowed; allowed: one of CloudWatch Logs' periods, 1, 3,",
    ],
    [
      "flow logs kept under a year in production",
      withChange(prod, { network: { flowLogRetentionInDays: 180 } }),
      "network.flowLogRetentionInDays = 180 is not allowed; allowed: 365 or more in a production environment",
    ],
    [
      "a public VPC range",
      withChange(dev, { vpcCidr: "8.8.0.0/16" }),
      'vpcCidr = "8.8.0.0/16" is not allowed; allowed: a range inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16',
    ],
    ["a range straddling 172.16/12", withChange(dev, { vpcCidr: "172.14.0.0/15" }), 'vpcCidr = "172.14.0.0/15"'],
    [
      "a VPC larger than /16",
      withChange(dev, { vpcCidr: "10.0.0.0/8" }),
      'vpcCidr = "10.0.0.0/8" is not allowed; allowed: a prefix length from /16 to /24',
    ],
    ["a VPC smaller than /24", withChange(dev, { vpcCidr: "10.0.0.0/28" }), 'vpcCidr = "10.0.0.0/28"'],
    [
      "host bits in the VPC CIDR",
      withChange(dev, { vpcCidr: "10.20.1.0/16" }),
      'vpcCidr = "10.20.1.0/16" is not allowed; allowed: an IPv4 network in CIDR form',
    ],
    ["a malformed CIDR", withChange(dev, { vpcCidr: "10.300.0.0/16" }), 'vpcCidr = "10.300.0.0/16"'],
    ["a prefix with capitals", withChange(dev, { namePrefix: "SMD" }), 'namePrefix = "SMD" is not allowed'],
    ["a prefix ending in a hyphen", withChange(dev, { namePrefix: "smd-" }), 'namePrefix = "smd-"'],
    ["an empty owner tag", withChange(dev, { tags: { owner: "" } }), 'tags.owner = "" is not allowed'],
    ["a cost centre with a comma", withChange(dev, { tags: { costCentre: "a,b" } }), 'tags.costCentre = "a,b"'],
    [
      "an unknown classification",
      withChange(dev, { tags: { dataClassification: "secret" } }),
      'tags.dataClassification = "secret" is not allowed; allowed: one of internal, confidential, restricted',
    ],
    [
      "an invalid state bucket",
      withChange(dev, { state: { bucket: "My_Bucket" } }),
      'state.bucket = "My_Bucket" is not allowed',
    ],
    [
      "an unencrypted state",
      withChange(dev, { state: { kmsKeyId: "" } }),
      'state.kmsKeyId = "" is not allowed; allowed: a KMS key or alias ARN, or alias/<name>',
    ],
    ["a bad state region", withChange(dev, { state: { region: "mars-1" } }), 'state.region = "mars-1"'],
    ["a state key prefix with a slash", withChange(dev, { state: { keyPrefix: "/abs" } }), 'state.keyPrefix = "/abs"'],
    [
      "a key administrator that is a user name",
      withChange(dev, { keyAdministratorArns: ["alice"] }),
      'keyAdministratorArns = "alice" is not allowed; allowed: IAM role ARNs',
    ],
    [
      "a 6-day key deletion window",
      withChange(dev, { keyDeletionWindowInDays: 6 }),
      "keyDeletionWindowInDays = 6 is not allowed; allowed: a whole number from 7 to 30",
    ],
    [
      "a short key deletion window in production",
      withChange(prod, { keyDeletionWindowInDays: 7 }),
      "keyDeletionWindowInDays = 7 is not allowed; allowed: 30 in a production environment",
    ],
    [
      "an Object Lock retention of 0 days",
      withChange(dev, { modelStore: { objectLock: { mode: "GOVERNANCE", days: 0 } } }),
      "modelStore.objectLock.days = 0 is not allowed; allowed: a whole number from 1 to 3650",
    ],
    [
      "an Object Lock mode S3 does not know",
      withChange(dev, { modelStore: { objectLock: { mode: "STRICT", days: 30 } } }),
      'modelStore.objectLock.mode = "STRICT" is not allowed; allowed: GOVERNANCE or COMPLIANCE',
    ],
    [
      "model versions expiring before their lock",
      withChange(dev, { modelStore: { noncurrentVersionExpirationDays: 10 } }),
      "modelStore.noncurrentVersionExpirationDays = 10 is not allowed; allowed: a whole number from modelStore.objectLock.days (30)",
    ],
    [
      "a replica in the environment's own region",
      withChange(dev, { modelStore: { replicaRegion: "eu-west-1" } }),
      'modelStore.replicaRegion = "eu-west-1" is not allowed; allowed: a region other than the environment\'s (eu-west-1)',
    ],
    [
      "an app readers' prefix outside the environment's names",
      withChange(dev, { modelStore: { appReaderRolePrefix: "team-" } }),
      'modelStore.appReaderRolePrefix = "team-" is not allowed; allowed: a role name prefix under the environment\'s, ending in "-" (e.g. "smd-dev-app-")',
    ],
    [
      "an app readers' prefix that covers the pipeline's roles",
      withChange(dev, { modelStore: { appReaderRolePrefix: "smd-dev-c" } }),
      'modelStore.appReaderRolePrefix = "smd-dev-c" is not allowed',
    ],
    [
      "an app readers' prefix inside the environment's model roles",
      withChange(dev, { modelStore: { appReaderRolePrefix: "smd-dev-model-team-" } }),
      "that covers none of its own roles (smd-dev-ci-, smd-dev-svc-, smd-dev-model-)",
    ],
    [
      "an app readers' prefix that is the whole environment",
      withChange(dev, { modelStore: { appReaderRolePrefix: "smd-dev-" } }),
      'modelStore.appReaderRolePrefix = "smd-dev-" is not allowed',
    ],
    [
      "production without a replica",
      withChange(prod, { modelStore: { replicaRegion: undefined } }),
      "modelStore.replicaRegion = undefined is not allowed; allowed: a second region in a production environment",
    ],
    [
      "a model bucket name too long for its log bucket",
      withChange(dev, { modelStore: { bucketName: `smd-${"m".repeat(48)}` } }),
      "modelStore.bucketName = ",
    ],
    [
      "a publish prefix that escapes",
      withChange(dev, { modelStore: { publishPrefix: "../" } }),
      'modelStore.publishPrefix = "../" is not allowed',
    ],
    [
      "a break-glass user",
      withChange(dev, { modelStore: { breakGlassRoleArn: "arn:aws:iam::111122223333:user/root-ish" } }),
      'modelStore.breakGlassRoleArn = "arn:aws:iam::111122223333:user/root-ish" is not allowed; allowed: an IAM role ARN',
    ],
    [
      "no repository",
      withChange(dev, { registry: { repositories: [] } }),
      "registry.repositories = [] is not allowed; allowed: at least one repository name",
    ],
    [
      "a cache of a registry that needs credentials",
      withChange(dev, { registry: { pullThroughCache: ["docker-hub"] } }),
      'registry.pullThroughCache = "docker-hub" is not allowed; allowed: ecr-public, k8s, quay',
    ],
    [
      "a GuardDuty alert severity of 0",
      withChange(dev, { detection: { guardDutyAlertSeverity: 0 } }),
      "detection.guardDutyAlertSeverity = 0 is not allowed; allowed: a number from 1 to 10, GuardDuty's scale",
    ],
    [
      "a GuardDuty alert severity of 12",
      withChange(dev, { detection: { guardDutyAlertSeverity: 12 } }),
      "detection.guardDutyAlertSeverity = 12 is not allowed",
    ],
    [
      "an alert address that is not one",
      withChange(dev, { detection: { alertEmails: ["security-team"] } }),
      'detection.alertEmails = "security-team" is not allowed; allowed: an email address',
    ],
    [
      "production without an alert address",
      withChange(prod, { detection: { alertEmails: [] } }),
      "detection.alertEmails = [] is not allowed; allowed: at least one address in a production environment",
    ],
    [
      "audit logs kept under a year",
      withChange(dev, { detection: { auditLogRetentionInDays: 180 } }),
      "detection.auditLogRetentionInDays = 180 is not allowed; allowed: 365 or more",
    ],
    [
      "audit logs locked under a year in production",
      withChange(prod, { detection: { auditLogLock: { mode: "COMPLIANCE", days: 90 } } }),
      "detection.auditLogLock.days = 90 is not allowed; allowed: 365 or more in a production environment",
    ],
    [
      "an unknown Security Hub mode",
      withChange(dev, { detection: { securityHub: "off" } }),
      'detection.securityHub = "off" is not allowed; allowed: enable or managed-by-organization',
    ],
    [
      "an unknown service-linked role mode",
      withChange(dev, { detection: { serviceLinkedRoles: "import" } }),
      'detection.serviceLinkedRoles = "import" is not allowed; allowed: create or existing',
    ],
    [
      "an unknown Kubernetes version",
      withChange(dev, { cluster: { kubernetesVersion: "1.29" } }),
      'cluster.kubernetesVersion = "1.29" is not allowed; allowed: one of the supported Kubernetes versions 1.34, 1.35',
    ],
    [
      "0.0.0.0/0 in the endpoint allowlist",
      withChange(dev, { cluster: { publicEndpointCidrs: ["203.0.113.0/24", "0.0.0.0/0"] } }),
      'cluster.publicEndpointCidrs = "0.0.0.0/0" is not allowed; allowed: CIDRs of /8 or narrower, never 0.0.0.0/0',
    ],
    [
      "an empty endpoint allowlist",
      withChange(dev, { cluster: { publicEndpointCidrs: [] } }),
      "cluster.publicEndpointCidrs = [] is not allowed; allowed: a non-empty list of IPv4 CIDRs",
    ],
    [
      "a CPU instance type in the GPU pool",
      withChange(dev, { cluster: { gpuNodes: { ...dev.cluster.gpuNodes, instanceTypes: ["m7i.2xlarge"] } } }),
      'cluster.gpuNodes.instanceTypes = "m7i.2xlarge" is not allowed; allowed: NVIDIA GPU instance types',
    ],
    [
      "a GPU in the system pool",
      withChange(dev, { cluster: { systemNodes: { ...dev.cluster.systemNodes, instanceTypes: ["g5.xlarge"] } } }),
      'cluster.systemNodes.instanceTypes = "g5.xlarge" is not allowed',
    ],
    [
      "min above max",
      withChange(dev, {
        cluster: { gpuNodes: { ...dev.cluster.gpuNodes, scaling: { minSize: 4, desiredSize: 4, maxSize: 2 } } },
      }),
      "cluster.gpuNodes.scaling = ",
    ],
    [
      "a GPU root volume too small",
      withChange(dev, { cluster: { gpuNodes: { ...dev.cluster.gpuNodes, rootVolumeSizeGiB: 20 } } }),
      "cluster.gpuNodes.rootVolumeSizeGiB = 20 is not allowed; allowed: a whole number of GiB from 50",
    ],
    [
      "production control-plane logs kept less than a year",
      withChange(prod, { cluster: { logRetentionInDays: 180 } }),
      "cluster.logRetentionInDays = 180 is not allowed; allowed: 365 or more in a production environment",
    ],
    [
      "an access role that is neither a name nor an ARN",
      withChange(dev, { cluster: { access: [{ role: "platform admin", policy: "view" }] } }),
      'cluster.access[0].role = "platform admin" is not allowed',
    ],
    [
      "an unknown access policy",
      withChange(dev, { cluster: { access: [{ role: "admin", policy: "root" }] } }),
      'cluster.access[0].policy = "root" is not allowed; allowed: cluster-admin, admin, edit, view',
    ],
    [
      "a model prefix outside the publish prefix",
      withChange(dev, { models: [model({ name: "fraud", modelPrefix: "other/fraud/", nodePort: 30081 })] }),
      'models[0].modelPrefix = "other/fraud/" is not allowed; allowed: a prefix under modelStore.publishPrefix',
    ],
    [
      "a model reading the whole publish prefix",
      withChange(dev, { models: [model({ name: "fraud", modelPrefix: "models/", nodePort: 30082 })] }),
      'models[0].modelPrefix = "models/" is not allowed',
    ],
    [
      "two models, one reading the other's files",
      withChange(dev, {
        models: [
          model({ name: "fraud", modelPrefix: "models/fraud/", nodePort: 30083 }),
          model({ name: "fraud-v2", modelPrefix: "models/fraud/v2/", nodePort: 30084 }),
        ],
      }),
      'models[0].modelPrefix = "models/fraud/" is not allowed; allowed: a prefix no other model\'s lies under',
    ],
    [
      "the same model twice",
      withChange(dev, {
        models: [
          model({ name: "fraud", modelPrefix: "models/fraud/", nodePort: 30085 }),
          model({ name: "fraud", modelPrefix: "models/fraud2/", nodePort: 30086 }),
        ],
      }),
      'models[1].name = "fraud" is not allowed; allowed: each model name once',
    ],
    [
      "a model name too long for its role",
      withChange(dev, { models: [model({ name: "m".repeat(37), modelPrefix: "models/m/", nodePort: 30087 })] }),
      "models[0].name = ",
    ],
    [
      "a namespace that is no Kubernetes name",
      withChange(dev, { models: [model({ name: "fraud", modelPrefix: "models/fraud/", namespace: "AI_Inference" })] }),
      'models[0].namespace = "AI_Inference" is not allowed',
    ],
    [
      "a model in a namespace the workloads stack does not make",
      withChange(dev, { models: [model({ namespace: "ai" })] }),
      'models[0].namespace = "ai" is not allowed; allowed: one of workloads.namespaces (ai-inference)',
    ],
    [
      "an image by tag",
      withChange(dev, { models: [model({ image: "inference:1.2.0" })] }),
      'models[0].image = "inference:1.2.0" is not allowed; allowed: <repository>@sha256:<64 lowercase hex digits>',
    ],
    [
      "an image of another registry",
      withChange(dev, { models: [model({ image: `docker.io/library/python@sha256:${"a".repeat(64)}` })] }),
      "the repository one of registry.repositories (inference, nvidia/k8s-device-plugin)",
    ],
    [
      "a privileged container port",
      withChange(dev, { models: [model({ port: 80 })] }),
      "models[0].port = 80 is not allowed; allowed: a whole number from 1024 to 65535",
    ],
    [
      "a NodePort outside the range",
      withChange(dev, { models: [model({ nodePort: 8080 })] }),
      "models[0].nodePort = 8080 is not allowed; allowed: a whole number from 30000 to 32767",
    ],
    [
      "two models on one NodePort",
      withChange(dev, {
        models: [model({}), model({ name: "churn", modelPrefix: "models/churn/" })],
      }),
      "models[0].nodePort = 30080 is not allowed; allowed: a NodePort no other model uses",
    ],
    [
      "fewer maximum than minimum replicas",
      withChange(dev, { models: [model({ replicas: { min: 3, max: 2 } })] }),
      "models[0].replicas.max = 2 is not allowed; allowed: a whole number from 3 to 100",
    ],
    [
      "a GPU limit without a request",
      withChange(dev, {
        models: [
          model({ resources: { requests: { cpu: "2", memory: "8Gi" }, limits: { cpu: "2", memory: "8Gi", gpu: 1 } } }),
        ],
      }),
      "models[0].resources.requests.gpu = undefined is not allowed; allowed: the same number of GPUs as limits.gpu (1)",
    ],
    [
      "a CPU request above its limit",
      withChange(dev, {
        models: [
          model({
            resources: { requests: { cpu: "4", memory: "8Gi", gpu: 1 }, limits: { cpu: "2", memory: "8Gi", gpu: 1 } },
          }),
        ],
      }),
      'models[0].resources.requests.cpu = "4" is not allowed; allowed: at most the limit, 2',
    ],
    [
      "a memory quantity Kubernetes cannot read",
      withChange(dev, {
        models: [
          model({
            resources: { requests: { cpu: "2", memory: "8GB", gpu: 1 }, limits: { cpu: "2", memory: "8Gi", gpu: 1 } },
          }),
        ],
      }),
      'models[0].resources.requests.memory = "8GB" is not allowed',
    ],
    [
      "a namespace taken from Kubernetes",
      withChange(dev, { workloads: { namespaces: [{ ...dev.workloads.namespaces[0], name: "kube-system" }] } }),
      'workloads.namespaces[0].name = "kube-system" is not allowed',
    ],
    [
      "a reader group EKS refuses",
      withChange(dev, {
        workloads: { namespaces: [{ ...dev.workloads.namespaces[0], readerGroups: ["system:masters"] }] },
      }),
      'workloads.namespaces[0].readerGroups = "system:masters" is not allowed',
    ],
    [
      "a model version that is a path",
      withChange(dev, { models: [model({ version: "v1/../v2" })] }),
      'models[0].version = "v1/../v2" is not allowed; allowed: a folder name under the model\'s prefix',
    ],
    [
      "a model verifier image by tag",
      withChange(dev, { workloads: { ...dev.workloads, modelVerifierImage: "cache/ecr-public/aws-cli/aws-cli:2" } }),
      'workloads.modelVerifierImage = "cache/ecr-public/aws-cli/aws-cli:2" is not allowed',
    ],
    [
      "a model verifier image from an upstream the cache does not serve",
      withChange(dev, {
        workloads: { ...dev.workloads, modelVerifierImage: `cache/docker-hub/amazon/aws-cli@sha256:${"a".repeat(64)}` },
      }),
      "the upstream one of registry.pullThroughCache (ecr-public, k8s, quay)",
    ],
    [
      "a device plugin image by tag",
      withChange(dev, { workloads: { devicePluginImage: "nvidia/k8s-device-plugin:v0.17.1" } }),
      'workloads.devicePluginImage = "nvidia/k8s-device-plugin:v0.17.1" is not allowed',
    ],
    [
      "a WAF rate limit below WAF's minimum",
      withChange(dev, { edge: { ...dev.edge, waf: { ...dev.edge.waf, rateLimit: 5 } } }),
      "edge.waf.rateLimit = 5 is not allowed; allowed: a whole number of requests from 10 (WAF's minimum)",
    ],
    [
      "a daily quota of zero",
      withChange(dev, {
        edge: { ...dev.edge, tiers: { ...dev.edge.tiers, standard: { rateLimit: 5, burstLimit: 10, dailyQuota: 0 } } },
      }),
      "edge.tiers.standard.dailyQuota = 0 is not allowed; allowed: a whole number of requests a day, 1 or more",
    ],
    [
      "a body limit above API Gateway's maximum",
      withChange(dev, { edge: { ...dev.edge, waf: { ...dev.edge.waf, maxBodyBytes: 20 * 1024 * 1024 } } }),
      "edge.waf.maxBodyBytes = 20971520 is not allowed; allowed: a whole number of bytes up to API Gateway's maximum payload, 10485760 (10 MB)",
    ],
    [
      "a country code that does not exist",
      withChange(dev, { edge: { ...dev.edge, waf: { ...dev.edge.waf, allowedCountries: ["DE", "EU"] } } }),
      'edge.waf.allowedCountries = "EU" is not allowed; allowed: ISO 3166-1 alpha-2 country codes',
    ],
    [
      "a consumer of a tier that does not exist",
      withChange(dev, { edge: { ...dev.edge, consumers: [{ name: "fraud-screening", tier: "gold" }] } }),
      'edge.consumers[0].tier = "gold" is not allowed; allowed: one of standard, partner',
    ],
    [
      "an unknown authorization",
      withChange(dev, { edge: { ...dev.edge, authorization: "api-key" } }),
      'edge.authorization = "api-key" is not allowed; allowed: cognito or iam',
    ],
    [
      "a latency alarm beyond API Gateway's timeout",
      withChange(dev, { edge: { ...dev.edge, alarms: { ...dev.edge.alarms, p99LatencyMs: 30000 } } }),
      "edge.alarms.p99LatencyMs = 30000 is not allowed",
    ],
    [
      "a short edge log retention in production",
      withChange(ENVIRONMENTS.prod, { edge: { ...ENVIRONMENTS.prod.edge, logRetentionInDays: 90 } }),
      "edge.logRetentionInDays = 90 is not allowed; allowed: 365 or more in a production environment",
    ],
    [
      "an access entry that grants nothing",
      withChange(dev, { cluster: { access: [{ role: "admin" }] } }),
      "cluster.access[0].policy = undefined is not allowed; allowed: a policy, or kubernetesGroups that RBAC binds",
    ],
    [
      "an access entry in a group EKS refuses",
      withChange(dev, { cluster: { access: [{ role: "admin", kubernetesGroups: ["system:masters"] }] } }),
      'cluster.access[0].kubernetesGroups = "system:masters" is not allowed',
    ],
  ])("rejects %s, naming environment, field and value", (_name, env, message) => {
    expect(() => validateEnvironment(env)).toThrow(message);
    expect(() => validateEnvironment(env)).toThrow(/^environment "[^"]+": /);
  });

  it("accepts a pinned account and extra key administrators", () => {
    const env = withChange(prod, {
      accountId: "111122223333",
      keyAdministratorArns: ["arn:aws:iam::111122223333:role/key-admin"],
    });
    expect(validateEnvironment(env)).toBe(env);
  });
});
