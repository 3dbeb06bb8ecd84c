import type { Grantable } from "../../constructs/core/principal";
import type { PolicyStatement } from "../../constructs/identity/policy-document";
import type { ModelStoreProps } from "../../constructs/storage/model-store";

/** A role that takes the grants of a construct in its own policy, as a workload role does. */
export class TestRole implements Grantable {
  public readonly statements: PolicyStatement[] = [];
  constructor(public readonly arn: string) {}
  public addToPrincipalPolicy(statement: PolicyStatement): void {
    this.statements.push(statement);
  }
}

/** The model store the construct tests build: one publisher under `models/`, one endpoint. */
export const STORE_PROPS: ModelStoreProps = {
  name: "test-models",
  bucketName: "smd-test-models",
  publishers: ["arn:aws:iam::111122223333:role/ci-model-publisher"],
  publishPrefix: "models/",
  breakGlassRoleArn: "arn:aws:iam::111122223333:role/break-glass",
  vpcEndpointIds: ["vpce-0123456789abcdef0"],
};
