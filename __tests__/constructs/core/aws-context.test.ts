import { TerraformOutput, Testing, TerraformStack } from "cdktf";
import { AwsContext, partitionOf } from "../../../constructs/core/aws-context";
import { synthJson, testStack } from "../../support/synth";

/** What a token resolves to in the synthesized JSON. */
function resolved(stack: TerraformStack, value: string): unknown {
  new TerraformOutput(stack, `probe${stack.node.children.length}`, { value });
  const outputs = synthJson(stack).output ?? {};
  return Object.values(outputs)[Object.keys(outputs).length - 1].value;
}

describe("AwsContext", () => {
  it.each([
    ["eu-west-1", "aws"],
    ["cn-north-1", "aws-cn"],
    ["us-gov-west-1", "aws-us-gov"],
  ])("puts %s in partition %s", (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });

  it("uses the registered region as a literal and looks up nothing it is not asked for", () => {
    const stack = testStack("eu-central-1");
    const context = AwsContext.of(stack);
    expect(context.region).toBe("eu-central-1");
    expect(context.partition).toBe("aws");
    expect(synthJson(stack).data).toBeUndefined();
  });

  it("looks the region and partition up when the stack registered none", () => {
    const stack = new TerraformStack(Testing.app(), "bare");
    const context = AwsContext.of(stack);
    expect(resolved(stack, context.region)).toMatch(/^\$\{data\.aws_region\.\w+\.region\}$/);
    expect(resolved(stack, context.partition)).toMatch(/^\$\{data\.aws_partition\.\w+\.partition\}$/);
  });

  it("names the deployer by its role, not its temporary session", () => {
    const stack = testStack();
    const arn = AwsContext.of(stack).deployerArn;
    const json = synthJson(stack);
    expect(resolved(stack, arn)).toMatch(/^\$\{data\.aws_iam_session_context\.\w+\.issuer_arn\}$/);
    expect(Object.values(json.data?.aws_iam_session_context ?? {})[0].arn).toMatch(
      /^\$\{data\.aws_caller_identity\.\w+\.arn\}$/,
    );
  });

  it("refuses a second registration in one stack", () => {
    const stack = testStack();
    expect(() => AwsContext.register(stack, { region: "eu-west-1" })).toThrow(/test: AwsContext is already registered/);
  });
});
