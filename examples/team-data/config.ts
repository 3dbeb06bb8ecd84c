import type { TeamDataConfig } from "./stack";

/** The stack's ID, and so its state and its folder in cdktf.out/stacks. */
export const STACK_ID = "churn-data-dev";

// One stack per environment the team deploys to; the values come from the platform team (see README.md).
export const CHURN_DATA_DEV: TeamDataConfig = {
  region: "eu-west-1",
  accountId: "111122223333",
  tags: { owner: "churn-team@example.com", dataClassification: "confidential" },
  state: {
    bucket: "churn-team-terraform-state",
    key: "churn-data-dev.tfstate",
    kmsKeyId: "alias/churn-team-terraform-state",
  },
  permissionsBoundaryArn: "arn:aws:iam::111122223333:policy/smd-dev-ci-boundary",
  dataBucketName: "churn-team-datasets-dev",
  cluster: { name: "smd-dev", namespace: "churn", serviceAccount: "feature-builder" },
  jobRoleName: "smd-dev-app-churn-feature-builder",
};
