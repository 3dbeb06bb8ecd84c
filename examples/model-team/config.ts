import type { ModelTeamConfig } from "./stack";

/** The stack's ID, and so its state and its folder in cdktf.out/stacks. */
export const STACK_ID = "churn-model-dev";

// The values come from the platform stack's outputs and the platform team (see README.md); the rest is the team's.
export const CHURN_MODEL_DEV: ModelTeamConfig = {
  region: "eu-west-1",
  accountId: "111122223333",
  tags: { owner: "churn-team@example.com", dataClassification: "confidential" },
  state: {
    bucket: "churn-team-terraform-state",
    key: "churn-model-dev.tfstate",
    kmsKeyId: "alias/churn-team-terraform-state",
  },
  platform: {
    namePrefix: "smd-dev",
    permissionsBoundaryArn: "arn:aws:iam::111122223333:policy/smd-dev-ci-boundary",
    clusterName: "smd-dev",
    kubernetesVersion: "1.35",
    vpcCidr: "10.20.0.0/16",
    modelStoreName: "smd-dev-models",
    modelStoreBucket: "smd-dev-models",
    appReaderRolePrefix: "smd-dev-app-",
    apiName: "smd-dev-inference",
    apiAuthorization: "cognito",
    usagePlanIds: { standard: "a1b2c3d4e5" },
  },
  model: {
    name: "churn-prediction",
    namespace: "churn",
    modelPrefix: "models/churn-prediction/",
    version: "v1",
    image: "inference@sha256:3f9c2b7e4d1a6058e2c7b9d4f0a1e36c58b27d9e4f6a0c3b1d8e5f7a9c2b4d6e",
    // The AWS CLI 2.35.11 through the platform registry's pull-through cache of public.ecr.aws, by digest.
    verifierImage:
      "cache/ecr-public/aws-cli/aws-cli@sha256:749bfaf91d690b9a1768083822d620f96c19defdf9ca2dc227eb3695281fda5b",
    port: 8080,
    nodePort: 30180,
    replicas: { min: 1, max: 1 },
    resources: { requests: { cpu: "2", memory: "8Gi", gpu: 1 }, limits: { cpu: "3", memory: "12Gi", gpu: 1 } },
  },
  consumer: { name: "churn-dashboard", tier: "standard" },
};
