import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Testing, TerraformStack } from "cdktf";
import { AwsContext } from "../../constructs/core/aws-context";

/** The parts of a synthesized `cdk.tf.json` the tests read. */
export interface TerraformJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, Record<string, unknown>>;
  provider?: Record<string, Record<string, unknown>[]>;
  terraform?: Record<string, unknown>;
}

/** A bare stack with an AWS provider and a literal region, for construct tests. */
export function testStack(region = "eu-west-1"): TerraformStack {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region });
  AwsContext.register(stack, { region });
  return stack;
}

/** Synthesizes a stack and parses its JSON. */
export function synthJson(stack: TerraformStack): TerraformJson {
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

/** Every resource of one type, by name. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, Record<string, unknown>> {
  return json.resource?.[type] ?? {};
}

/** The single resource of a type; fails when there is not exactly one. */
export function onlyResource(json: TerraformJson, type: string): Record<string, unknown> {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** An IAM-style policy statement as rendered JSON. */
export interface RenderedStatement {
  Sid: string;
  Effect: string;
  Principal?: "*" | Record<string, string[]>;
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** Parses a `policy` argument into its statements. */
export function statementsOf(policy: unknown): RenderedStatement[] {
  if (typeof policy !== "string") throw new Error(`policy is not a literal JSON string: ${String(policy)}`);
  return (JSON.parse(policy) as { Statement: RenderedStatement[] }).Statement;
}
