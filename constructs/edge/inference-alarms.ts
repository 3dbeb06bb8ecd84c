import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { Construct } from "constructs";
import { AwsContext } from "../core/aws-context";
import { checkIntegerInRange, ValidationError } from "../core/validation";

/** When the edge's alarms fire. */
export interface InferenceAlarmThresholds {
  /** Share of requests answered 5xx over 5 minutes: more than 0 and at most 1. */
  readonly serverErrorRate: number;
  /** 99th percentile latency over 5 minutes, in milliseconds: 100 to 29000. */
  readonly p99LatencyMs: number;
  /** 4xx answers in 5 minutes (failed authentication, exhausted quotas, invalid bodies): 1 or more. */
  readonly clientErrorsPer5Minutes: number;
  /** Requests the web ACL blocked in 5 minutes: 1 or more. */
  readonly blockedRequestsPer5Minutes: number;
}

/** Properties of an {@link InferenceAlarms}. */
export interface InferenceAlarmsProps {
  /** The REST API's name (API Gateway's metric dimension). */
  readonly apiName: string;
  /** The stage's name. */
  readonly stageName: string;
  /** The web ACL's name (WAF's metric dimension). */
  readonly webAclName: string;
  /** The SNS topic the alarms notify: the security alert topic. */
  readonly topicArn: string;
  /** The thresholds. */
  readonly thresholds: InferenceAlarmThresholds;
}

/**
 * CloudWatch alarms on the inference edge, to the security alert topic: a 5xx rate (the models or the path to them
 * failing), p99 latency (GPUs saturated, or a flood that got through), a spike of 4xx (callers failing authentication,
 * running into their quotas or sending bad bodies: what scraping and credential stuffing look like) and a spike of
 * requests the web ACL blocked. Missing data is not an alarm: a quiet API is healthy.
 */
export class InferenceAlarms extends Construct {
  /** The alarms, by what they watch. */
  public readonly alarms: Readonly<
    Record<"serverErrors" | "latency" | "clientErrors" | "blockedRequests", CloudwatchMetricAlarm>
  >;

  constructor(scope: Construct, id: string, props: InferenceAlarmsProps) {
    super(scope, id);
    const where = this.node.path;
    checkThresholds(where, "thresholds", props.thresholds);
    const t = props.thresholds;
    const region = AwsContext.of(this).region;
    const api = { ApiName: props.apiName, Stage: props.stageName };
    const common = {
      period: 300,
      evaluationPeriods: 1,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      alarmActions: [props.topicArn],
    };
    const alarm = (alarmId: string, name: string, description: string, config: Record<string, unknown>) =>
      new CloudwatchMetricAlarm(this, alarmId, {
        alarmName: `${props.apiName}-${name}`,
        alarmDescription: description,
        ...common,
        ...config,
      } as ConstructorParameters<typeof CloudwatchMetricAlarm>[2]);
    this.alarms = {
      serverErrors: alarm(
        "ServerErrors",
        "5xx-rate",
        `More than ${t.serverErrorRate * 100} % of ${props.apiName}'s requests failed with 5xx in 5 minutes`,
        {
          namespace: "AWS/ApiGateway",
          metricName: "5XXError",
          dimensions: api,
          statistic: "Average",
          threshold: t.serverErrorRate,
        },
      ),
      latency: alarm(
        "Latency",
        "p99-latency",
        `${props.apiName}'s p99 latency exceeded ${t.p99LatencyMs} ms for 5 minutes`,
        {
          namespace: "AWS/ApiGateway",
          metricName: "Latency",
          dimensions: api,
          extendedStatistic: "p99",
          threshold: t.p99LatencyMs,
        },
      ),
      clientErrors: alarm(
        "ClientErrors",
        "4xx-spike",
        `More than ${t.clientErrorsPer5Minutes} 4xx answers from ${props.apiName} in 5 minutes: failed authentication, exhausted quotas or bad bodies (scraping or credential stuffing)`,
        {
          namespace: "AWS/ApiGateway",
          metricName: "4XXError",
          dimensions: api,
          statistic: "Sum",
          threshold: t.clientErrorsPer5Minutes,
        },
      ),
      blockedRequests: alarm(
        "BlockedRequests",
        "waf-blocked-spike",
        `The web ACL ${props.webAclName} blocked more than ${t.blockedRequestsPer5Minutes} requests in 5 minutes`,
        {
          namespace: "AWS/WAFV2",
          metricName: "BlockedRequests",
          dimensions: { WebACL: props.webAclName, Region: region, Rule: "ALL" },
          statistic: "Sum",
          threshold: t.blockedRequestsPer5Minutes,
        },
      ),
    };
  }
}

/** Checks alarm thresholds. */
export function checkThresholds(where: string, property: string, t: InferenceAlarmThresholds): void {
  if (typeof t !== "object" || t === null) {
    throw new ValidationError(
      where,
      property,
      t,
      "allowed: { serverErrorRate, p99LatencyMs, clientErrorsPer5Minutes, blockedRequestsPer5Minutes }",
    );
  }
  if (typeof t.serverErrorRate !== "number" || !(t.serverErrorRate > 0 && t.serverErrorRate <= 1)) {
    throw new ValidationError(
      where,
      `${property}.serverErrorRate`,
      t.serverErrorRate,
      "allowed: a share of requests, more than 0 and at most 1 (0.05 is 5 %)",
    );
  }
  checkIntegerInRange(where, `${property}.p99LatencyMs`, t.p99LatencyMs, 100, 29000);
  checkIntegerInRange(where, `${property}.clientErrorsPer5Minutes`, t.clientErrorsPer5Minutes, 1, 1_000_000_000);
  checkIntegerInRange(where, `${property}.blockedRequestsPer5Minutes`, t.blockedRequestsPer5Minutes, 1, 1_000_000_000);
}
