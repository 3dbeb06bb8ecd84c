import { InferenceAlarms, type InferenceAlarmThresholds } from "../../../constructs/edge/inference-alarms";
import { resourcesOf, synthJson, testStack } from "../../support/synth";

const THRESHOLDS: InferenceAlarmThresholds = {
  serverErrorRate: 0.05,
  p99LatencyMs: 2000,
  clientErrorsPer5Minutes: 100,
  blockedRequestsPer5Minutes: 50,
};
const TOPIC = "arn:aws:sns:eu-west-1:111122223333:smd-test-security-alerts";

function build(thresholds: InferenceAlarmThresholds = THRESHOLDS) {
  const stack = testStack();
  new InferenceAlarms(stack, "Alarms", {
    apiName: "smd-test-inference",
    stageName: "v1",
    webAclName: "smd-test-inference",
    topicArn: TOPIC,
    thresholds,
  });
  return synthJson(stack);
}

describe("InferenceAlarms", () => {
  const alarms = Object.values(resourcesOf(build(), "aws_cloudwatch_metric_alarm"));
  const byName = Object.fromEntries(alarms.map((a) => [a.alarm_name, a]));

  it("alarms the security topic on the 5xx rate, p99 latency, a 4xx spike and a spike of blocked requests", () => {
    expect(Object.keys(byName).sort()).toEqual([
      "smd-test-inference-4xx-spike",
      "smd-test-inference-5xx-rate",
      "smd-test-inference-p99-latency",
      "smd-test-inference-waf-blocked-spike",
    ]);
    for (const alarm of alarms) {
      expect(alarm).toMatchObject({
        alarm_actions: [TOPIC],
        period: 300,
        comparison_operator: "GreaterThanThreshold",
        treat_missing_data: "notBreaching",
      });
    }
    const api = { ApiName: "smd-test-inference", Stage: "v1" };
    expect(byName["smd-test-inference-5xx-rate"]).toMatchObject({
      namespace: "AWS/ApiGateway",
      metric_name: "5XXError",
      statistic: "Average",
      threshold: 0.05,
      dimensions: api,
    });
    expect(byName["smd-test-inference-p99-latency"]).toMatchObject({
      metric_name: "Latency",
      extended_statistic: "p99",
      threshold: 2000,
      dimensions: api,
    });
    expect(byName["smd-test-inference-4xx-spike"]).toMatchObject({
      metric_name: "4XXError",
      statistic: "Sum",
      threshold: 100,
    });
    expect(byName["smd-test-inference-waf-blocked-spike"]).toMatchObject({
      namespace: "AWS/WAFV2",
      metric_name: "BlockedRequests",
      statistic: "Sum",
      threshold: 50,
      dimensions: { WebACL: "smd-test-inference", Region: "eu-west-1", Rule: "ALL" },
    });
  });

  it.each<[string, Partial<InferenceAlarmThresholds>, string]>([
    ["a 5xx rate of zero", { serverErrorRate: 0 }, "thresholds.serverErrorRate = 0 is not allowed"],
    [
      "a 5xx rate in percent",
      { serverErrorRate: 5 },
      "thresholds.serverErrorRate = 5 is not allowed; allowed: a share of requests",
    ],
    ["a latency beyond API Gateway's timeout", { p99LatencyMs: 60000 }, "thresholds.p99LatencyMs = 60000"],
    ["no 4xx at all", { clientErrorsPer5Minutes: 0 }, "thresholds.clientErrorsPer5Minutes = 0"],
  ])("rejects %s", (_name, change, message) => {
    expect(() => build({ ...THRESHOLDS, ...change })).toThrow(message);
  });
});
