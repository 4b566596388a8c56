#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.config1 contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: config1_verify
version_added: 1.0.0
short_description: The checks people make by hand the day after a Config.1 fix
description:
  - Read-only. For one account in several Regions (concurrently), checks that AWS Config really delivers and that
    Security Hub has re-evaluated Config.1. Meant for C(playbooks/verify.yml), scheduled for the day after a
    remediation.
  - C(delivery_history) and C(delivery_snapshot) - the delivery channel's last history and snapshot delivery
    status (C(config:DescribeDeliveryChannelStatus)).
  - C(history_export_metric) - the CloudWatch metric C(ConfigHistoryExportFailed) in namespace C(AWS/Config)
    (C(cloudwatch:ListMetrics), C(cloudwatch:GetMetricStatistics), sum over O(window_hours)). AWS does not
    document this metric's dimensions; every published series of that name is summed.
  - C(objects_delivered) - whether objects arrived under C(s3://<bucket>/<prefix>/AWSLogs/<account>/Config/<region>/)
    since O(since) (C(s3:ListObjectsV2)). The bucket and prefix default to the delivery channel's.
  - C(finding) - whether Security Hub's active Config.1 finding for the account and Region is C(PASSED) with
    workflow status C(RESOLVED) (C(securityhub:GetFindings)).
  - Each check is C(ok), C(failed) or C(unknown); C(unknown) always says plainly why the check could not be made
    (access denied, no bucket access, no such metric, Security Hub not enabled, no delivery yet).
  - A Region is C(failed) when a check failed, C(incomplete) when none failed but some could not be made, else C(ok).
author:
  - secops.config1 developers (@secops)
attributes:
  check_mode:
    support: full
    description: The module only reads; it behaves the same in check mode.
  diff_mode:
    support: none
    description: Nothing changes.
options:
  regions:
    description:
      - The Regions to check, concurrently. Defaults to the module's O(region) (or E(AWS_REGION)).
    type: list
    elements: str
  s3_bucket:
    description:
      - The bucket to look in. Default is the bucket of each Region's delivery channel.
      - A bucket of another account (a central log-archive bucket) is often not readable with the member
        account's credentials; the check then says so.
    type: str
  s3_key_prefix:
    description: The key prefix in the bucket. Default is the delivery channel's prefix (none when O(s3_bucket) is given).
    type: str
  since:
    description:
      - Objects delivered at or after this time count (ISO 8601 such as C(2026-01-31T12:00:00Z), or relative such as
        C(36h) or C(2d)). Default is O(window_hours) ago.
    type: str
  window_hours:
    description: The window, in hours up to now, over which C(ConfigHistoryExportFailed) is summed.
    type: int
    default: 24
  checks:
    description: Which checks to make.
    type: list
    elements: str
    choices: [delivery_history, delivery_snapshot, history_export_metric, objects_delivered, finding]
    default: [delivery_history, delivery_snapshot, history_export_metric, objects_delivered, finding]
  retries:
    description: How many times a throttled or temporarily failing AWS call is retried.
    type: int
    default: 8
  concurrency:
    description: How many Regions are checked at the same time.
    type: int
    default: 8
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
- name: Next-day checks in two Regions, objects since the fix
  secops.config1.config1_verify:
    regions: [us-east-1, eu-west-1]
    since: "2026-01-31T12:00:00Z"
    window_hours: 36
  register: checks

- name: Only the finding and the delivery status
  secops.config1.config1_verify:
    regions: [eu-west-1]
    checks: [finding, delivery_history, delivery_snapshot]
"""

RETURN = r"""
account_id:
  description: The account checked.
  type: str
  returned: always
  sample: "123456789012"
since:
  description: The time objects were counted from (UTC, ISO 8601).
  type: str
  returned: always
  sample: "2026-01-31T12:00:00Z"
summary:
  description: How many Regions are ok, failed or incomplete.
  type: dict
  returned: always
  sample: {"ok": 1, "failed": 1, "incomplete": 0}
regions:
  description: Per Region (keyed by Region code).
  type: dict
  returned: always
  contains:
    status:
      description: C(ok), C(failed) (a check failed) or C(incomplete) (none failed, some could not be made).
      type: str
      sample: incomplete
    checks:
      description: >-
        Per check name, C(status) (C(ok), C(failed), C(unknown)) and C(detail) (a sentence; for C(unknown) why the
        check could not be made), plus check-specific values (C(last_status), C(error_code), C(sum), C(objects),
        C(latest), C(location), C(compliance_status), C(workflow_status)).
      type: dict
      sample: {"finding": {"status": "ok", "detail": "Config.1 is PASSED, workflow RESOLVED", "compliance_status": "PASSED", "workflow_status": "RESOLVED"}}
"""

import datetime
import re

try:
    from botocore.exceptions import BotoCoreError, ClientError
except ImportError:
    pass  # AnsibleAWSModule reports the missing library

from ansible_collections.secops.config1.plugins.module_utils import base

CHECKS = ("delivery_history", "delivery_snapshot", "history_export_metric", "objects_delivered", "finding")
METRIC_NAMESPACE = "AWS/Config"
METRIC_NAME = "ConfigHistoryExportFailed"
MAX_OBJECT_PAGES = 20
_REL_RE = re.compile(r"^\s*(\d+)\s*([mhd])\s*$")


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)


def iso(ts):
    return ts.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_since(value, now, window_hours):
    """A UTC datetime from an ISO 8601 time or a relative '36h' / '2d' / '90m'; None -> window."""
    if not value:
        return now - datetime.timedelta(hours=window_hours)
    m = _REL_RE.match(value)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        return now - datetime.timedelta(**{{"m": "minutes", "h": "hours", "d": "days"}[unit]: n})
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    if "T" not in text and " " not in text and len(text) == 10:
        text += "T00:00:00+00:00"
    ts = datetime.datetime.fromisoformat(text)
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=datetime.timezone.utc)
    return ts.astimezone(datetime.timezone.utc)


def aws_code(exc):
    if isinstance(exc, ClientError):
        return exc.response.get("Error", {}).get("Code") or "ClientError"
    return type(exc).__name__


def unknown(detail, **extra):
    return dict(extra, status="unknown", detail=detail)


def could_not(operation, exc, hint=""):
    code = aws_code(exc)
    why = {
        "AccessDenied": "access denied",
        "AccessDeniedException": "access denied",
        "NoSuchBucket": "the bucket does not exist",
        "InvalidAccessException": "Security Hub is not enabled here",
    }.get(code, code)
    return unknown("Could not check: %s on %s%s." % (why, operation, (" (" + hint + ")") if hint else ""), aws_code=code)


def delivery_check(channel, status, key, label):
    if channel is None:
        return {"status": "failed", "detail": "No delivery channel in this Region, so nothing is delivered."}
    info = (status or {}).get(key)
    if not info:
        return unknown("Could not check: the delivery channel status has no %s delivery information yet." % label)
    last = (info.get("lastStatus") or "").upper()
    out = {"last_status": info.get("lastStatus")}
    for src, dst in (("lastAttemptTime", "last_attempt"), ("lastSuccessfulTime", "last_success")):
        if info.get(src):
            out[dst] = str(info[src])
    if last == "SUCCESS":
        return dict(out, status="ok", detail="Last %s delivery succeeded." % label)
    if last == "FAILURE":
        out["error_code"] = info.get("lastErrorCode")
        return dict(out, status="failed", detail="Last %s delivery failed: %s %s" % (
            label, info.get("lastErrorCode") or "", info.get("lastErrorMessage") or ""))
    return dict(out, status="unknown", detail="Could not check: no %s delivery attempted yet (%s)." % (label, info.get("lastStatus")))


def metric_check(cw, call, now, window_hours):
    try:
        metrics = []
        token = None
        while True:
            params = {"Namespace": METRIC_NAMESPACE, "MetricName": METRIC_NAME}
            if token:
                params["NextToken"] = token
            page = call(cw, "list_metrics", **params)
            metrics.extend(page.get("Metrics") or [])
            token = page.get("NextToken")
            if not token:
                break
    except (BotoCoreError, ClientError) as e:
        return could_not("cloudwatch:ListMetrics", e)
    if not metrics:
        return unknown("Could not check: CloudWatch has no %s/%s metric in this Region (not published recently)."
                       % (METRIC_NAMESPACE, METRIC_NAME))
    start = now - datetime.timedelta(hours=window_hours)
    period = max(60, -(-int(window_hours * 3600 / 1440) // 60) * 60)
    total, points = 0.0, 0
    try:
        for metric in metrics:
            page = call(cw, "get_metric_statistics", Namespace=METRIC_NAMESPACE, MetricName=METRIC_NAME,
                        Dimensions=metric.get("Dimensions") or [], StartTime=start, EndTime=now, Period=period,
                        Statistics=["Sum"])
            for dp in page.get("Datapoints") or []:
                total += float(dp.get("Sum") or 0)
                points += 1
    except (BotoCoreError, ClientError) as e:
        return could_not("cloudwatch:GetMetricStatistics", e)
    out = {"sum": total, "datapoints": points, "window_hours": window_hours}
    if total > 0:
        return dict(out, status="failed", detail="%d failed configuration history export(s) in the last %d h." % (total, window_hours))
    if points == 0:
        return dict(out, status="ok", detail="No failed history export recorded in the last %d h (no data points)." % window_hours)
    return dict(out, status="ok", detail="No failed history export in the last %d h." % window_hours)


def objects_check(s3, call, bucket, prefix, account_id, region, since):
    if not bucket:
        return unknown("Could not check: no bucket known (no delivery channel and no s3_bucket given).")
    base_prefix = (prefix.strip("/") + "/") if prefix else ""
    key_prefix = "%sAWSLogs/%s/Config/%s/" % (base_prefix, account_id, region)
    location = "s3://%s/%s" % (bucket, key_prefix)
    count, latest, token, pages = 0, None, None, 0
    try:
        while pages < MAX_OBJECT_PAGES:
            params = {"Bucket": bucket, "Prefix": key_prefix, "MaxKeys": 1000}
            if token:
                params["ContinuationToken"] = token
            page = call(s3, "list_objects_v2", **params)
            pages += 1
            for obj in page.get("Contents") or []:
                modified = obj.get("LastModified")
                if modified is not None and modified.tzinfo is None:
                    modified = modified.replace(tzinfo=datetime.timezone.utc)
                if modified is not None and modified >= since:
                    count += 1
                    if latest is None or modified > latest[0]:
                        latest = (modified, obj.get("Key"))
            token = page.get("NextContinuationToken") if page.get("IsTruncated") else None
            if not token:
                break
    except (BotoCoreError, ClientError) as e:
        return could_not("s3:ListObjectsV2 %s" % location, e, "the bucket may belong to another account")
    out = {"location": location, "objects": count, "since": iso(since)}
    if count:
        return dict(out, status="ok", latest=latest[1], latest_time=iso(latest[0]),
                    detail="%d object(s) delivered to %s since %s." % (count, location, iso(since)))
    more = " (first %d pages read)" % MAX_OBJECT_PAGES if token else ""
    return dict(out, status="failed", detail="No object delivered to %s since %s%s." % (location, iso(since), more))


def finding_check(sh, call, account_id, region):
    try:
        page = call(sh, "get_findings", Filters={
            "AwsAccountId": [{"Value": account_id, "Comparison": "EQUALS"}],
            "Region": [{"Value": region, "Comparison": "EQUALS"}],
            "ComplianceSecurityControlId": [{"Value": "Config.1", "Comparison": "EQUALS"}],
            "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}],
        }, MaxResults=10)
    except (BotoCoreError, ClientError) as e:
        return could_not("securityhub:GetFindings", e)
    findings = page.get("Findings") or []
    if not findings:
        return unknown("Could not check: no active Config.1 finding for this account and Region (not evaluated yet).")
    f = max(findings, key=lambda x: str(x.get("UpdatedAt")))
    compliance = (f.get("Compliance") or {}).get("Status")
    workflow = (f.get("Workflow") or {}).get("Status")
    out = {"compliance_status": compliance, "workflow_status": workflow, "updated_at": str(f.get("UpdatedAt"))}
    reasons = ", ".join(r.get("ReasonCode") or "" for r in (f.get("Compliance") or {}).get("StatusReasons") or [])
    if compliance == "PASSED" and workflow == "RESOLVED":
        return dict(out, status="ok", detail="Config.1 is PASSED, workflow RESOLVED.")
    return dict(out, status="failed", detail="Config.1 is %s%s, workflow %s (updated %s)." % (
        compliance, (" (%s)" % reasons) if reasons else "", workflow, out["updated_at"]))


def region_status(checks):
    states = [c["status"] for c in checks.values()]
    if "failed" in states:
        return "failed"
    if "unknown" in states:
        return "incomplete"
    return "ok"


class Call:
    def __call__(self, client, method, **params):
        return getattr(client, method)(aws_retry=True, **params)


def verify_region(clients, region, account_id, params, now, since):
    call = Call()
    wanted = params["checks"]
    checks = {}
    channel, status, config_error = None, None, None
    if {"delivery_history", "delivery_snapshot", "objects_delivered"} & set(wanted):
        cfg = clients.get("config", region)
        try:
            channels = call(cfg, "describe_delivery_channels").get("DeliveryChannels") or []
            channel = channels[0] if channels else None
            if channel:
                statuses = call(cfg, "describe_delivery_channel_status").get("DeliveryChannelsStatus") or []
                status = next((s for s in statuses if s.get("name") == channel.get("name")), None)
        except (BotoCoreError, ClientError) as e:
            config_error = e
    for name, key, label in (("delivery_history", "configHistoryDeliveryInfo", "history"),
                             ("delivery_snapshot", "configSnapshotDeliveryInfo", "snapshot")):
        if name in wanted:
            checks[name] = (could_not("config:DescribeDeliveryChannelStatus", config_error) if config_error
                            else delivery_check(channel, status, key, label))
    if "history_export_metric" in wanted:
        checks["history_export_metric"] = metric_check(clients.get("cloudwatch", region), call, now, params["window_hours"])
    if "objects_delivered" in wanted:
        bucket = params.get("s3_bucket") or (channel or {}).get("s3BucketName")
        prefix = params.get("s3_key_prefix")
        if prefix is None and not params.get("s3_bucket"):
            prefix = (channel or {}).get("s3KeyPrefix")
        if config_error and not params.get("s3_bucket"):
            checks["objects_delivered"] = could_not("config:DescribeDeliveryChannels", config_error, "needed to find the bucket")
        else:
            checks["objects_delivered"] = objects_check(clients.get("s3", region), call, bucket, prefix, account_id, region, since)
    if "finding" in wanted:
        checks["finding"] = finding_check(clients.get("securityhub", region), call, account_id, region)
    return {"status": region_status(checks), "checks": checks}


def main():
    argument_spec = dict(
        regions=dict(type="list", elements="str"),
        s3_bucket=dict(type="str"),
        s3_key_prefix=dict(type="str", no_log=False),
        since=dict(type="str"),
        window_hours=dict(type="int", default=24),
        checks=dict(type="list", elements="str", choices=list(CHECKS), default=list(CHECKS)),
        retries=dict(type="int", default=8),
        concurrency=dict(type="int", default=8),
    )
    module = base.Config1Module(argument_spec=argument_spec, supports_check_mode=True)
    opts = base.check_common(module)
    params = module.params
    if params["window_hours"] < 1:
        module.fail_json(msg="window_hours must be 1 or more.")
    now = utcnow()
    try:
        since = parse_since(params.get("since"), now, params["window_hours"])
    except ValueError:
        module.fail_json(msg="since: %r is neither an ISO 8601 time (2026-01-31T12:00:00Z) nor a relative time "
                         "like 36h or 2d." % params.get("since"))
    clients = base.Clients(module, opts["regions"], opts["retries"])
    try:
        account_id = clients.get("sts").get_caller_identity(aws_retry=True)["Account"]
    except (BotoCoreError, ClientError) as e:
        module.fail_json_aws(e, msg="Could not identify the account (sts:GetCallerIdentity) - check the credentials")
    results = base.fan_out(opts["regions"], lambda r: verify_region(clients, r, account_id, params, now, since),
                           opts["concurrency"])
    regions = {}
    for region, res in results.items():
        if res.get("exception") is not None:
            res = {"status": "incomplete", "checks": {"error": unknown("Could not check: %s" % res["exception"])}}
        regions[region] = res
    summary = {"ok": 0, "failed": 0, "incomplete": 0}
    for res in regions.values():
        summary[res["status"]] += 1
    module.exit_json(changed=False, account_id=account_id, since=iso(since), regions=regions, summary=summary)


if __name__ == "__main__":
    main()
