import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Backend, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import {
  type ContainerResources,
  EksKubernetesProvider,
  Guardrails,
  InferenceApiConsumer,
  InferenceService,
  ModelStoreReference,
  PermissionsBoundary,
  type ReplicaBounds,
  repositoryUriPrefix,
  SecureNamespace,
  WorkloadRole,
} from "secure-model-deployment-blueprint";

/** What the platform team hands over: its stack's outputs and its naming. */
export interface PlatformFacts {
  /** The environment's name prefix (`namePrefix`): its registry is `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>`. */
  readonly namePrefix: string;
  /** The permissions boundary every role the account's pipelines create must carry. */
  readonly permissionsBoundaryArn: string;
  /** The EKS cluster (output `cluster_name`) and its Kubernetes version. */
  readonly clusterName: string;
  readonly kubernetesVersion: string;
  /** The VPC's CIDR (output `vpc_cidr`): the only source the model's port admits. */
  readonly vpcCidr: string;
  /** The model store (outputs `model_store_name`, `model_store_bucket`). */
  readonly modelStoreName: string;
  readonly modelStoreBucket: string;
  /** The role-name prefix the store's keys delegate reads to (config `modelStore.appReaderRolePrefix`). */
  readonly appReaderRolePrefix: string;
  /** The inference API (output `api_name`), its authorization and its usage plans by tier (output `usage_plan_ids`). */
  readonly apiName: string;
  readonly apiAuthorization: "cognito" | "iam";
  readonly usagePlanIds: Readonly<Record<string, string>>;
}

/** The team's model. */
export interface TeamModel {
  /** The model's name: names its Deployment, Service, service account and role. */
  readonly name: string;
  /** The team's namespace, which this stack creates. */
  readonly namespace: string;
  /** Where the model's files are in the store: the team's role reads this prefix and nothing else. */
  readonly modelPrefix: string;
  /** The version served (`<modelPrefix><version>/`), published and signed by the model release workflow. */
  readonly version: string;
  /** The model server's image in the platform's registry, by digest: `<repository>@sha256:<digest>`. */
  readonly image: string;
  /** The AWS CLI image that verifies the model's signature, from the registry's pull-through cache, by digest. */
  readonly verifierImage: string;
  readonly port: number;
  readonly nodePort: number;
  readonly replicas: ReplicaBounds;
  readonly resources: ContainerResources;
}

/** Everything the stack needs. */
export interface ModelTeamConfig {
  readonly region: string;
  readonly accountId: string;
  readonly tags: { readonly owner: string; readonly dataClassification: string };
  readonly state: { readonly bucket: string; readonly key: string; readonly kmsKeyId: string };
  readonly platform: PlatformFacts;
  readonly model: TeamModel;
  /** The team's client of the platform's API, and its usage tier. */
  readonly consumer: { readonly name: string; readonly tier: string };
}

/**
 * A team's own model on an existing platform environment: the cluster, the model store and the API are the
 * platform's, looked up by name; the team's stack creates its restricted, default-deny namespace, the model's pod
 * identity (reading the team's prefix of the store and nothing else), the hardened inference service, and an API
 * consumer (a key in its tier's usage plan and a Cognito client) for the team's own caller.
 */
export class ModelTeamStack extends TerraformStack {
  public readonly role: WorkloadRole;
  public readonly service: InferenceService;

  constructor(scope: Construct, id: string, config: ModelTeamConfig) {
    super(scope, id);
    const { platform, model } = config;
    new AwsProvider(this, "aws", {
      region: config.region,
      allowedAccountIds: [config.accountId],
      defaultTags: [
        { tags: { Owner: config.tags.owner, DataClassification: config.tags.dataClassification, Stack: id } },
      ],
    });
    new S3Backend(this, {
      bucket: config.state.bucket,
      key: config.state.key,
      region: config.region,
      encrypt: true,
      kmsKeyId: config.state.kmsKeyId,
    });
    this.addOverride("terraform.backend.s3.use_lockfile", true);
    Guardrails.applyTo(this, { profile: "workload" });
    PermissionsBoundary.applyTo(this, platform.permissionsBoundaryArn);

    // The platform's pieces, by name.
    const kubernetes = new EksKubernetesProvider(this, "Kubernetes", {
      clusterName: platform.clusterName,
      region: config.region,
    });
    const store = new ModelStoreReference(this, "ModelStore", {
      name: platform.modelStoreName,
      bucketName: platform.modelStoreBucket,
    });

    // The team's pieces.
    const namespace = new SecureNamespace(this, "Namespace", {
      name: model.namespace,
      kubernetesVersion: platform.kubernetesVersion,
      quota: { cpu: "8", memory: "32Gi", gpu: 2, pods: 6 },
    });
    this.role = new WorkloadRole(this, "ModelRole", {
      roleName: `${platform.appReaderRolePrefix}${model.name}`,
      description: `Inference service of the model ${model.name}: reads ${model.modelPrefix} of the model store`,
      cluster: { clusterName: platform.clusterName, clusterArn: kubernetes.cluster.arn },
      namespace: model.namespace,
      serviceAccount: model.name,
    });
    store.grantRead(this.role, model.modelPrefix);
    const registry = repositoryUriPrefix(this, platform.namePrefix);
    this.service = new InferenceService(this, "Model", {
      name: model.name,
      namespace,
      image: `${registry}/${model.image}`,
      registries: [registry],
      port: model.port,
      nodePort: model.nodePort,
      replicas: model.replicas,
      resources: model.resources,
      model: {
        bucket: platform.modelStoreBucket,
        prefix: model.modelPrefix,
        version: model.version,
        region: config.region,
      },
      // Every pod verifies the version's signature with the store's signing key before its server starts.
      verification: { signingKey: store.signingKeyAlias, image: `${registry}/${model.verifierImage}` },
      vpcCidr: platform.vpcCidr,
    });
    const consumer = new InferenceApiConsumer(this, "Consumer", {
      name: config.consumer.name,
      apiName: platform.apiName,
      authorization: platform.apiAuthorization,
      tier: config.consumer.tier,
      usagePlanId: platform.usagePlanIds[config.consumer.tier],
    });

    new TerraformOutput(this, "model_role_arn", { value: this.role.arn });
    new TerraformOutput(this, "node_port", { value: this.service.nodePort });
    new TerraformOutput(this, "api_key_id", { value: consumer.apiKeyId });
  }
}
