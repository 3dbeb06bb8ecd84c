import { ThreatDetection } from "../../../constructs/detection/threat-detection";
import { guardedSynth } from "../../support/guardrails";
import { onlyResource, resourcesOf, synthJson, testStack } from "../../support/synth";

describe("ThreatDetection", () => {
  const stack = testStack();
  new ThreatDetection(stack, "Threats");
  const json = synthJson(stack);

  it("enables a detector that publishes every 15 minutes", () => {
    expect(onlyResource(json, "aws_guardduty_detector")).toMatchObject({
      enable: true,
      finding_publishing_frequency: "FIFTEEN_MINUTES",
    });
  });

  it("turns on S3 data events, EKS audit logs, runtime monitoring with the managed EKS agent and EBS malware scans", () => {
    const features = Object.values(resourcesOf(json, "aws_guardduty_detector_feature"));
    expect(Object.fromEntries(features.map((f) => [f.name, [f.status, f.additional_configuration]]))).toEqual({
      S3_DATA_EVENTS: ["ENABLED", []],
      EKS_AUDIT_LOGS: ["ENABLED", []],
      RUNTIME_MONITORING: ["ENABLED", [{ name: "EKS_ADDON_MANAGEMENT", status: "ENABLED" }]],
      EBS_MALWARE_PROTECTION: ["ENABLED", []],
    });
    for (const f of features) expect(f.detector_id).toMatch(/^\$\{aws_guardduty_detector\.Threats_Detector_\w+\.id\}$/);
  });

  it("passes every guardrail", () => {
    expect(guardedSynth((s) => new ThreatDetection(s, "Threats")).open.map((f) => f.message)).toEqual([]);
  });

  it("rejects a publishing frequency GuardDuty does not offer", () => {
    expect(
      () => new ThreatDetection(testStack(), "Threats", { findingPublishingFrequency: "FIVE_MINUTES" as "ONE_HOUR" }),
    ).toThrow(
      'findingPublishingFrequency = "FIVE_MINUTES" is not allowed; allowed: FIFTEEN_MINUTES, ONE_HOUR, SIX_HOURS',
    );
  });
});
