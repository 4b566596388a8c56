# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan the changes that make Config.1 pass. Pure functions over gathered state and a verdict.

A plan is what check mode shows and what a real run applies: an ordered list of actions
({action, params, why}), the before and after configurations, and the predicted verdict.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re

from ansible_collections.secops.config1.plugins.module_utils import common as c
from ansible_collections.secops.config1.plugins.module_utils import recording
from ansible_collections.secops.config1.plugins.module_utils import verdict

CREATE_SLR = "iam:CreateServiceLinkedRole"
PUT_RECORDER = "config:PutConfigurationRecorder"
PUT_CHANNEL = "config:PutDeliveryChannel"
START_RECORDER = "config:StartConfigurationRecorder"
UPDATE_CONTROL = "securityhub:UpdateSecurityControl"
UPDATE_ASSOCIATIONS = "securityhub:BatchUpdateStandardsControlAssociations"

ROLE_ARN_RE = re.compile(r"^arn:aws[a-z-]*:iam::(\d{12}):role/[\w+=,.@/-]{1,512}$")
BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
KMS_ARN_RE = re.compile(r"^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)/.+$")
SNS_ARN_RE = re.compile(r"^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$")
RESOURCE_TYPE_RE = re.compile(r"^AWS::[A-Za-z0-9]+::[A-Za-z0-9]+$")

CHANNEL_KEYS = (
    ("s3_bucket", "s3BucketName"),
    ("s3_key_prefix", "s3KeyPrefix"),
    ("s3_kms_key_arn", "s3KmsKeyArn"),
    ("sns_topic_arn", "snsTopicARN"),
)


def check_desired(desired):
    """Input errors that need no AWS state (empty list when fine). Messages name the option."""
    errors = []
    role = desired.get("role") or "service_linked"
    if role != "service_linked" and not ROLE_ARN_RE.match(role):
        errors.append(
            "role: %r is neither 'service_linked' nor an IAM role ARN like "
            "arn:aws:iam::123456789012:role/MyConfigRole." % role
        )
    types = list(desired.get("extra_resource_types") or [])
    for o in desired.get("recording_mode_overrides") or []:
        types.extend(o.get("resource_types") or [])
    bad = [t for t in types if not RESOURCE_TYPE_RE.match(t or "")]
    if bad:
        errors.append("extra_resource_types / recording_mode_overrides: malformed resource type(s) %s; "
                      "write them like AWS::S3::Bucket." % ", ".join(repr(t) for t in bad))
    overrides = desired.get("recording_mode_overrides")
    if overrides is not None and len(overrides) > 1:
        errors.append("recording_mode_overrides: AWS Config allows at most one override, got %d." % len(overrides))
    for o in overrides or []:
        if o.get("recording_frequency") == c.DAILY:
            forbidden = sorted(set(o.get("resource_types") or ()) & set(c.DAILY_FORBIDDEN_TYPES))
            if forbidden:
                errors.append("recording_mode_overrides: AWS Config does not allow DAILY recording for %s."
                              % ", ".join(forbidden))
    if desired.get("recording_frequency") == c.DAILY:
        forbidden = sorted(set(desired.get("extra_resource_types") or ()) & set(c.DAILY_FORBIDDEN_TYPES))
        continuous = set()
        for o in overrides or []:
            if o.get("recording_frequency") == c.CONTINUOUS:
                continuous.update(o.get("resource_types") or ())
        forbidden = [t for t in forbidden if t not in continuous]
        if forbidden:
            errors.append("recording_frequency: AWS Config does not allow DAILY recording for %s (in "
                          "extra_resource_types); add a CONTINUOUS recording_mode_overrides entry for them."
                          % ", ".join(forbidden))
    channel = desired.get("delivery_channel") or {}
    if channel.get("s3_bucket") is not None and not BUCKET_RE.match(channel["s3_bucket"]):
        errors.append("delivery_channel.s3_bucket: %r is not a valid S3 bucket name." % channel["s3_bucket"])
    if channel.get("s3_kms_key_arn") and not KMS_ARN_RE.match(channel["s3_kms_key_arn"]):
        errors.append("delivery_channel.s3_kms_key_arn: %r is not a KMS key ARN." % channel["s3_kms_key_arn"])
    if channel.get("sns_topic_arn") and not SNS_ARN_RE.match(channel["sns_topic_arn"]):
        errors.append("delivery_channel.sns_topic_arn: %r is not an SNS topic ARN." % channel["sns_topic_arn"])
    if channel.get("delivery_frequency") and channel["delivery_frequency"] not in c.DELIVERY_FREQUENCIES:
        errors.append("delivery_channel.delivery_frequency: must be one of %s." % ", ".join(c.DELIVERY_FREQUENCIES))
    return errors


def _union(base, extra):
    """Union of type lists, case-insensitively, keeping the spelling already there."""
    out, seen = list(base), recording.lower_set(base)
    for t in extra:
        if t.lower() not in seen:
            out.append(t)
            seen.add(t.lower())
    return sorted(out, key=lambda t: (t.lower(), t))


def desired_group(state, result, desired, warnings):
    rec = state.get("recorder")
    mode = desired.get("resource_types") or "preserve"
    region = state["region"]
    required = list(result["required_resource_types"])
    iam_needed = bool(set(required) & set(c.IAM_GLOBAL_TYPES))
    if iam_needed and region in c.IAM_GLOBAL_UNRECORDABLE_REGIONS:
        required = [t for t in required if t not in c.IAM_GLOBAL_TYPES]
        iam_needed = False
        warnings.append("IAM global types cannot be recorded in %s; Config.1 stays FAILED here unless the Region "
                        "is linked to an aggregator or the IAM controls are disabled (config1_control)." % region)
    extra = list(desired.get("extra_resource_types") or [])
    wanted = _union(required, extra)
    cur = recording.canonical_group(rec.get("recordingGroup")) if rec else None
    if mode == "all_supported":
        keep_global = bool(cur and cur["strategy"] == c.ALL_SUPPORTED and cur["include_global"])
        extra_iam = bool(set(extra) & set(c.IAM_GLOBAL_TYPES))
        return {"strategy": c.ALL_SUPPORTED, "include_global": keep_global or iam_needed or extra_iam, "types": [], "excluded": []}
    if mode == "required" or cur is None:
        if wanted:
            return {"strategy": c.INCLUSION, "include_global": False, "types": wanted, "excluded": []}
        warnings.append("No enabled control needs recording in %s; recording all supported types instead of "
                        "an empty list (AWS rejects an empty recording group)." % region)
        return {"strategy": c.ALL_SUPPORTED, "include_global": False, "types": [], "excluded": []}
    # preserve: keep the strategy and what the user added; add only what is required.
    if cur["strategy"] == c.ALL_SUPPORTED:
        extra_iam = bool(set(extra) & set(c.IAM_GLOBAL_TYPES))
        return dict(cur, include_global=cur["include_global"] or iam_needed or extra_iam)
    if cur["strategy"] == c.INCLUSION:
        return dict(cur, types=_union(cur["types"], wanted))
    drop = recording.lower_set(wanted)
    excluded = [t for t in cur["excluded"] if t.lower() not in drop]
    if excluded:
        return dict(cur, excluded=excluded)
    # Nothing left to exclude: AWS needs a non-empty exclusion list, so record everything. Under the
    # exclusion strategy IAM types were recorded unless excluded, so global types stay on.
    return {"strategy": c.ALL_SUPPORTED, "include_global": True, "types": [], "excluded": []}


def desired_mode(state, desired):
    cur = recording.canonical_mode((state.get("recorder") or {}).get("recordingMode"))
    freq = desired.get("recording_frequency") or cur["recordingFrequency"]
    overrides = desired.get("recording_mode_overrides")
    if overrides is None:
        over = cur["recordingModeOverrides"]
    else:
        over = [
            {"description": o.get("description") or "", "resourceTypes": o.get("resource_types") or [],
             "recordingFrequency": o.get("recording_frequency") or c.CONTINUOUS}
            for o in overrides
        ]
    return recording.canonical_mode({"recordingFrequency": freq, "recordingModeOverrides": over})


def daily_conflicts(group, mode):
    """Types AWS refuses to record DAILY that this recorder would record DAILY (inclusion lists only;
    under ALL_SUPPORTED AWS keeps them CONTINUOUS by itself)."""
    if group["strategy"] != c.INCLUSION:
        return []
    freq = {t: mode["recordingFrequency"] for t in group["types"]}
    for o in mode["recordingModeOverrides"]:
        for t in o["resourceTypes"]:
            if t in freq:
                freq[t] = o["recordingFrequency"]
    return sorted(t for t, f in freq.items() if f == c.DAILY and t in c.DAILY_FORBIDDEN_TYPES)


def role_arn(account, desired):
    role = desired.get("role") or "service_linked"
    if role != "service_linked":
        return role
    slr = account.get("service_linked_role") or {}
    return slr.get("arn") or c.slr_arn(account.get("partition") or "aws", account["account_id"])


def desired_channel(state, desired):
    """(channel to put or None, error message or None)."""
    cur = state.get("delivery_channel")
    spec = {k: v for k, v in (desired.get("delivery_channel") or {}).items() if v is not None}
    if cur is None:
        if not spec.get("s3_bucket"):
            return None, ("%s has no AWS Config delivery channel and one is needed to start recording: set "
                          "delivery_channel.s3_bucket (and optionally s3_key_prefix, s3_kms_key_arn, sns_topic_arn, "
                          "delivery_frequency)." % state["region"])
        new = {"name": spec.get("name") or c.DEFAULT_CHANNEL_NAME}
    else:
        new = copy.deepcopy(cur)
        if not spec:
            return None, None
    for option, key in CHANNEL_KEYS:
        if option in spec:
            new[key] = spec[option]
    if "delivery_frequency" in spec:
        new["configSnapshotDeliveryProperties"] = {"deliveryFrequency": spec["delivery_frequency"]}
    if cur is not None and recording.channel_view(new) == recording.channel_view(cur):
        return None, None
    # Drop empty optional keys rather than sending nulls (PutDeliveryChannel replaces the whole object).
    return {k: v for k, v in new.items() if v not in (None, "")}, None


def plan_region(state, account, result, desired):
    """The plan for one Region: {region, skipped, error, actions, before, after, predicted_status,
    predicted_reasons, warnings}."""
    rec = state.get("recorder")
    status = state.get("recorder_status") or {}
    plan = {
        "region": state["region"],
        "skipped": None,
        "error": None,
        "actions": [],
        "before": snapshot(state),
        "after": snapshot(state),
        "predicted_status": result["status"],
        "predicted_reasons": result["reasons"],
        "warnings": [],
    }
    if result["status"] == c.NOT_AVAILABLE:
        plan["skipped"] = "cannot be evaluated: " + "; ".join("%s %s" % (r["code"], r["description"]) for r in result["reasons"])
        return plan
    if verdict.sh_recorder(state):
        plan["skipped"] = "Security Hub's service-linked recorder %s records what Config.1 needs; nothing to do." % c.SECURITY_HUB_RECORDER_NAME
        return plan
    if rec and recording.managed_by(rec.get("name")) == "control_tower" and desired.get("control_tower", "skip") == "skip":
        plan["skipped"] = ("recorder %s belongs to AWS Control Tower; left untouched (change it through Control Tower, "
                           "or set control_tower=manage). Config.1 is %s here." % (rec["name"], result["status"]))
        return plan
    group = desired_group(state, result, desired, plan["warnings"])
    mode = desired_mode(state, desired)
    conflicts = daily_conflicts(group, mode)
    if conflicts:
        plan["error"] = ("recording_frequency: AWS Config does not allow DAILY recording for %s, which %s records; "
                         "add a CONTINUOUS recording_mode_overrides entry for them." % (", ".join(conflicts), state["region"]))
        return plan
    want = {
        "name": rec["name"] if rec else (desired.get("recorder_name") or c.DEFAULT_RECORDER_NAME),
        "roleARN": role_arn(account, desired),
        "recordingGroup": recording.api_group(group),
        "recordingMode": mode,
    }
    if not recording.recorders_equal(rec, want):
        plan["actions"].append({"action": PUT_RECORDER, "params": {"ConfigurationRecorder": want},
                                "why": "create the recorder" if not rec else "update the recorder"})
        channel_now = state.get("delivery_channel")
        if rec and channel_now and not c.is_service_linked_role_arn(rec.get("roleARN")) and c.is_service_linked_role_arn(want["roleARN"]):
            # A custom role may have been what the bucket (and KMS key, SNS topic) trusted.
            plan["warnings"].append(
                "The recorder moves from %s to the service-linked role: the delivery bucket %s (and its KMS key and "
                "SNS topic, if any) must allow config.amazonaws.com, or deliveries fail; check the delivery status "
                "afterwards (playbooks/verify.yml)." % (rec.get("roleARN"), channel_now.get("s3BucketName")))
    channel, error = desired_channel(state, desired)
    if error:
        plan["error"] = error
        return plan
    if channel:
        plan["actions"].append({"action": PUT_CHANNEL, "params": {"DeliveryChannel": channel},
                                "why": "create the delivery channel" if not state.get("delivery_channel") else "update the delivery channel"})
    if not status.get("recording"):
        plan["actions"].append({"action": START_RECORDER, "params": {"ConfigurationRecorderName": want["name"]},
                                "why": "start recording"})
    after_state = simulate(state, plan["actions"])
    plan["after"] = snapshot(after_state)
    predicted = verdict.evaluate_region(after_state, account, desired)
    plan["predicted_status"] = predicted["status"]
    plan["predicted_reasons"] = predicted["reasons"]
    return plan


def simulate(state, actions):
    """The Region state after the actions, as gather would read it back."""
    new = copy.deepcopy(state)
    for act in actions:
        if act["action"] == PUT_RECORDER:
            rec = copy.deepcopy(act["params"]["ConfigurationRecorder"])
            if state.get("recorder") and state["recorder"].get("arn"):
                rec["arn"] = state["recorder"]["arn"]
            new["recorder"] = rec
            if not new.get("recorder_status"):
                new["recorder_status"] = {"name": rec["name"], "recording": False, "lastStatus": None}
        elif act["action"] == PUT_CHANNEL:
            new["delivery_channel"] = copy.deepcopy(act["params"]["DeliveryChannel"])
        elif act["action"] == START_RECORDER:
            new["recorder_status"] = dict(new.get("recorder_status") or {}, recording=True, lastStatus="Pending")
    return new


def snapshot(state):
    """The before/after view that the diff shows."""
    rec = recording.canonical_recorder(state.get("recorder"))
    return {
        "recorder": rec,
        "recording": bool((state.get("recorder_status") or {}).get("recording")) if rec else False,
        "delivery_channel": recording.channel_view(state.get("delivery_channel")),
    }


def plan_account(account, region_plans, desired):
    """Account-level actions (before any Region's): the Config service-linked role."""
    if (desired.get("role") or "service_linked") != "service_linked":
        return []
    if (account.get("service_linked_role") or {}).get("exists") is True:
        return []
    if not any(a["action"] == PUT_RECORDER for p in region_plans.values() for a in p["actions"]):
        return []
    return [{"action": CREATE_SLR, "params": {"AWSServiceName": c.CONFIG_SERVICE_PRINCIPAL},
             "why": "the recorder needs the AWS Config service-linked role"}]
