"""CKV_SMD_2: a model store (an S3 bucket tagged BlueprintRole = model-store) has Object Lock on.

checkov has no Object Lock check. Object Lock can only be turned on when a bucket is created, so a model store made
without it cannot be fixed later without moving every model: this check fails the bucket itself. The guardrail
SMD-S3-8 checks the default retention too; checkov cannot join the bucket to its separate lock configuration.
"""

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

MODEL_STORE_TAG = ("BlueprintRole", "model-store")


def _first(value):
    return value[0] if isinstance(value, list) and value else value


class ModelStoreObjectLock(BaseResourceCheck):
    def __init__(self):
        super().__init__(
            name="Ensure a model-store bucket (tag BlueprintRole = model-store) has S3 Object Lock enabled",
            id="CKV_SMD_2",
            categories=[CheckCategories.BACKUP_AND_RECOVERY],
            supported_resources=["aws_s3_bucket"],
        )

    def scan_resource_conf(self, conf):
        tags = _first(conf.get("tags")) or {}
        key, value = MODEL_STORE_TAG
        if not isinstance(tags, dict) or _first(tags.get(key)) != value:
            return CheckResult.UNKNOWN
        self.evaluated_keys = ["object_lock_enabled"]
        return CheckResult.PASSED if _first(conf.get("object_lock_enabled")) is True else CheckResult.FAILED


check = ModelStoreObjectLock()
