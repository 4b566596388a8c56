# -*- coding: utf-8 -*-
"""Unit tests for plan.py: every starting state x every resource_types mode, applied with
plan.simulate and judged again with verdict.evaluate_region (no AWS)."""

from __future__ import absolute_import, division, print_function

import copy

import pytest

from ansible_collections.secops.config1.plugins.module_utils import common as c
from ansible_collections.secops.config1.plugins.module_utils import plan
from ansible_collections.secops.config1.plugins.module_utils import recording
from ansible_collections.secops.config1.plugins.module_utils import verdict

from tests.unit import fixtures as f

MODES = ["preserve", "required", "all_supported"]
NEW_CHANNEL = {"s3_bucket": "new-config-bucket", "s3_key_prefix": "cfg"}
LAMBDA = "AWS::Lambda::Function"
ENI = "AWS::EC2::NetworkInterface"
UNRECORDABLE = "ca-west-1"


def desired_for(mode, **extra):
    """What remediate.py passes: module params (+ controls, home_region), also used as options."""
    d = {"resource_types": mode, "role": "service_linked", "extra_resource_types": [], "recording_frequency": None,
         "recording_mode_overrides": None, "delivery_channel": None, "recorder_name": "default",
         "control_tower": "skip", "controls": None, "home_region": None}
    d.update(extra)
    return d


def actions(p):
    return [a["action"] for a in p["actions"]]


def put_recorder(p):
    found = [a for a in p["actions"] if a["action"] == plan.PUT_RECORDER]
    return found[0]["params"]["ConfigurationRecorder"] if found else None


def make_plan(st, acct, desired):
    result = verdict.evaluate_region(st, acct, desired)
    return result, plan.plan_region(st, acct, result, desired)


def check_action_shapes(p):
    names = actions(p)
    order = [plan.PUT_RECORDER, plan.PUT_CHANNEL, plan.START_RECORDER]
    assert [a for a in order if a in names] == names, names  # put recorder -> put channel -> start
    assert len(set(names)) == len(names)
    rec = put_recorder(p)
    if rec is not None:
        assert set(rec) == {"name", "roleARN", "recordingGroup", "recordingMode"}
        assert rec["name"] and rec["roleARN"]
        group = rec["recordingGroup"]
        assert set(group) == {"allSupported", "includeGlobalResourceTypes", "resourceTypes", "exclusionByResourceTypes",
                              "recordingStrategy"}
        strategy = group["recordingStrategy"]["useOnly"]
        assert strategy in c.STRATEGIES
        # what AWS would reject (InvalidRecordingGroupException)
        if strategy == c.ALL_SUPPORTED:
            assert group["allSupported"] is True and group["resourceTypes"] == []
            assert group["exclusionByResourceTypes"]["resourceTypes"] == []
        else:
            assert group["allSupported"] is False and group["includeGlobalResourceTypes"] is False
        if strategy == c.INCLUSION:
            assert group["resourceTypes"] and group["exclusionByResourceTypes"]["resourceTypes"] == []
        if strategy == c.EXCLUSION:
            assert group["exclusionByResourceTypes"]["resourceTypes"] and group["resourceTypes"] == []
        assert set(rec["recordingMode"]) == {"recordingFrequency", "recordingModeOverrides"}
    for a in p["actions"]:
        if a["action"] == plan.START_RECORDER:
            assert a["params"] == {"ConfigurationRecorderName": (rec or {}).get("name") or p["before"]["recorder"]["name"]}
        if a["action"] == plan.PUT_CHANNEL:
            ch = a["params"]["DeliveryChannel"]
            assert ch["name"] and ch["s3BucketName"]
            assert None not in ch.values() and "" not in ch.values()
        assert a["why"]


def converge(st, acct, desired):
    """Plan, apply with simulate, re-evaluate, and check that a second plan does nothing."""
    before = copy.deepcopy(st)
    result, p = make_plan(st, acct, desired)
    assert st == before, "plan_region must not mutate the state"
    assert p["error"] is None, p["error"]
    check_action_shapes(p)
    assert p["before"] == plan.snapshot(st)
    after = plan.simulate(st, p["actions"])
    after_res = verdict.evaluate_region(after, acct, desired)
    if not p["skipped"]:
        assert p["after"] == plan.snapshot(after)
        assert p["predicted_status"] == after_res["status"]
        assert p["predicted_reasons"] == after_res["reasons"]
    p2 = plan.plan_region(after, acct, after_res, desired)
    assert p2["actions"] == [], "not idempotent: %r" % p2["actions"]
    assert p2["error"] is None
    return result, p, after, after_res


# --- starting states ------------------------------------------------------------------------------
# id -> (state, account, extra desired options, expected final codes (None = PASSED))
def _starts():
    agg = f.aggregator()
    return {
        "no-recorder+channel-option": (f.state(rec=None, chan=None), f.account(), {"delivery_channel": NEW_CHANNEL}, None),
        "no-recorder-old-channel": (f.state(rec=None), f.account(), {}, None),
        "no-recorder-linked": (f.state(region=f.OTHER, rec=None), f.account(agg), {}, None),
        "no-recorder-home": (f.state(rec=None), f.account(agg), {}, None),
        "no-recorder-no-slr": (f.state(rec=None), f.account(slr_exists=False), {}, None),
        "stopped": (f.state(recording=False), f.account(), {}, None),
        "stopped-no-channel": (f.state(recording=False, chan=None), f.account(), {"delivery_channel": NEW_CHANNEL}, None),
        "no-recorder-old-channel-changed": (f.state(rec=None), f.account(), {"delivery_channel": NEW_CHANNEL}, None),
        "stopped-inclusion": (f.state(rec=f.recorder(f.inclusion(f.ALL_TYPES)), recording=False), f.account(), {}, None),
        "custom-role": (f.state(rec=f.recorder(role=f.CUSTOM_ROLE)), f.account(), {}, None),
        "custom-role-kept": (f.state(rec=f.recorder(role=f.CUSTOM_ROLE)), f.account(), {"role": f.CUSTOM_ROLE},
                             [c.CUSTOM_ROLE]),
        "custom-role-kept-waived": (f.state(rec=f.recorder(role=f.CUSTOM_ROLE), sh=f.security_hub(params=f.role_param(False))),
                                    f.account(), {"role": f.CUSTOM_ROLE}, None),
        "all-no-global-home": (f.state(rec=f.recorder(f.all_supported(False))), f.account(agg), {}, None),
        "all-no-global-linked": (f.state(region=f.OTHER, rec=f.recorder(f.all_supported(False))), f.account(agg), {}, None),
        "all-global-linked": (f.state(region=f.OTHER, rec=f.recorder(f.all_supported(True))), f.account(agg), {}, None),
        "legacy-all-no-global": (f.state(rec=f.recorder(f.all_supported(False, legacy=True))), f.account(), {}, None),
        "inclusion-missing+extra": (f.state(rec=f.recorder(f.inclusion(["AWS::S3::Bucket", LAMBDA]))), f.account(), {}, None),
        "inclusion-linked": (f.state(region=f.OTHER, rec=f.recorder(f.inclusion(["AWS::KMS::Key"]))), f.account(agg), {}, None),
        "inclusion-workspaces": (f.state(rec=f.recorder(f.inclusion(["AWS::WorkSpaces::WorkSpace", "AWS::S3::Bucket"])),
                                         sh=f.security_hub(["WorkSpaces.1", f.S3_CONTROL])), f.account(), {}, None),
        "exclusion-required+own": (f.state(rec=f.recorder(f.exclusion(["AWS::S3::Bucket", ENI]))), f.account(), {}, None),
        "exclusion-only-required": (f.state(rec=f.recorder(f.exclusion(["AWS::S3::Bucket", "AWS::IAM::Role"]))), f.account(),
                                    {}, None),
        "exclusion-iam-linked": (f.state(region=f.OTHER, rec=f.recorder(f.exclusion(f.IAM))), f.account(agg), {}, None),
        "mode-daily+override": (f.state(rec=f.recorder(f.inclusion(["AWS::S3::Bucket"]), recording_mode=f.mode(c.DAILY, [
            {"description": "kms continuous", "resourceTypes": ["AWS::KMS::Key"], "recordingFrequency": c.CONTINUOUS}]))),
            f.account(), {}, None),
        "control-tower-manage": (f.state(rec=f.recorder(f.all_supported(False), role=f.CT_ROLE, name=f.CT_RECORDER)),
                                 f.account(), {"control_tower": "manage"}, None),
        "control-tower-skip": (f.state(rec=f.recorder(f.all_supported(False), role=f.CT_ROLE, name=f.CT_RECORDER)),
                               f.account(), {"control_tower": "skip"}, [c.MISSING_TYPES, c.CUSTOM_ROLE]),
        "security-hub-v2": (f.state(rec=None, chan=None, slrs=[f.sh_recorder_summary()]), f.account(), {}, None),
        "security-hub-v2+failing-customer": (f.state(rec=f.recorder(f.inclusion([]), role=f.CUSTOM_ROLE), recording=False,
                                                     slrs=[f.sh_recorder_summary()]), f.account(), {}, None),
        "channel-unchanged-option": (f.state(rec=None), f.account(), {"delivery_channel": {"s3_bucket": f.BUCKET}}, None),
        "channel-changed-option": (f.state(chan=f.channel(snsTopicARN="arn:aws:sns:us-east-1:123456789012:cfg")), f.account(),
                                   {"delivery_channel": {"s3_bucket": "other-bucket", "delivery_frequency": "Six_Hours"}}, None),
        "iam-unrecordable-standalone": (f.state(region=UNRECORDABLE, rec=None), f.account(), {}, [c.MISSING_TYPES]),
        "iam-unrecordable-linked": (f.state(region=UNRECORDABLE, rec=None), f.account(agg), {}, None),
        "no-controls": (f.state(rec=None, sh=f.security_hub([])), f.account(), {}, None),
    }


STARTS = _starts()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("start", sorted(STARTS))
def test_plan_converges(start, mode):
    st, acct, extra, final_codes = copy.deepcopy(STARTS[start])
    desired = desired_for(mode, **extra)
    result, p, after, after_res = converge(st, acct, desired)
    if final_codes is None:
        assert after_res["status"] == c.PASSED, after_res["reasons"]
    else:
        assert after_res["status"] == c.FAILED
        assert [r["code"] for r in after_res["reasons"]] == final_codes
    # every Region ends up recording, unless we left it alone
    if not p["skipped"]:
        assert after["recorder_status"]["recording"] is True
        assert after["delivery_channel"] is not None
        if extra.get("role", "service_linked") == "service_linked":
            assert c.is_service_linked_role_arn(after["recorder"]["roleARN"])
        else:
            assert after["recorder"]["roleARN"] == extra["role"]


# --- what each starting state plans --------------------------------------------------------------
def test_new_region_order_and_channel():
    st, acct, extra, _ignored = copy.deepcopy(STARTS["no-recorder+channel-option"])
    _ignored, p = make_plan(st, acct, desired_for("preserve", **extra))
    assert actions(p) == [plan.PUT_RECORDER, plan.PUT_CHANNEL, plan.START_RECORDER]
    assert p["actions"][1]["params"] == {"DeliveryChannel": {"name": "default", "s3BucketName": "new-config-bucket",
                                                             "s3KeyPrefix": "cfg"}}
    assert p["actions"][1]["why"] == "create the delivery channel"
    assert p["actions"][0]["why"] == "create the recorder"
    assert p["actions"][2]["params"] == {"ConfigurationRecorderName": "default"}
    assert p["before"] == {"recorder": None, "recording": False, "delivery_channel": None}
    assert p["after"]["recording"] is True and p["predicted_status"] == c.PASSED


def test_order_with_an_existing_channel_changed():
    st, acct, extra, _ignored = copy.deepcopy(STARTS["no-recorder-old-channel-changed"])
    _ignored, p = make_plan(st, acct, desired_for("preserve", **extra))
    assert actions(p) == [plan.PUT_RECORDER, plan.PUT_CHANNEL, plan.START_RECORDER]
    assert p["actions"][1]["why"] == "update the delivery channel"
    st, acct, extra, _ignored = copy.deepcopy(STARTS["stopped-no-channel"])
    _ignored, p = make_plan(st, acct, desired_for("preserve", **extra))
    assert actions(p) == [plan.PUT_CHANNEL, plan.START_RECORDER]


def test_new_recorder_full_object():
    st, acct, extra, _ignored = copy.deepcopy(STARTS["no-recorder-home"])
    _ignored, p = make_plan(st, acct, desired_for("required"))
    assert put_recorder(p) == {
        "name": "default",
        "roleARN": f.SLR,
        "recordingGroup": f.inclusion(f.ALL_TYPES),
        "recordingMode": {"recordingFrequency": c.CONTINUOUS, "recordingModeOverrides": []},
    }
    assert actions(p) == [plan.PUT_RECORDER, plan.START_RECORDER]  # the old channel is reused


def test_new_recorder_name_option():
    st = f.state(rec=None)
    _ignored, p = make_plan(st, f.account(), desired_for("preserve", recorder_name="org-recorder"))
    assert put_recorder(p)["name"] == "org-recorder"
    assert p["actions"][-1]["params"] == {"ConfigurationRecorderName": "org-recorder"}
    # an existing recorder keeps its name whatever recorder_name says (renaming = delete + create)
    st = f.state(rec=f.recorder(role=f.CUSTOM_ROLE, name="legacy"))
    _ignored, p = make_plan(st, f.account(), desired_for("preserve", recorder_name="org-recorder"))
    assert put_recorder(p)["name"] == "legacy"


def test_role_arn_without_known_slr_is_built():
    acct = f.account(slr_exists=False)
    _ignored, p = make_plan(f.state(rec=None), acct, desired_for("preserve"))
    assert put_recorder(p)["roleARN"] == c.slr_arn("aws", f.ACCOUNT_ID)
    acct["partition"] = "aws-cn"
    _ignored, p = make_plan(f.state(rec=None), acct, desired_for("preserve"))
    assert put_recorder(p)["roleARN"].startswith("arn:aws-cn:iam::123456789012:role/aws-service-role/config.amazonaws.com/")


def test_no_channel_without_option_is_an_error():
    st = f.state(rec=None, chan=None)
    _ignored, p = make_plan(st, f.account(), desired_for("preserve"))
    assert p["error"] and "delivery_channel.s3_bucket" in p["error"] and f.HOME in p["error"]
    assert plan.START_RECORDER not in actions(p) and plan.PUT_CHANNEL not in actions(p)
    # a channel option without a bucket does not help either
    _ignored, p = make_plan(st, f.account(), desired_for("preserve", delivery_channel={"s3_key_prefix": "x", "s3_bucket": None}))
    assert p["error"] and "delivery_channel.s3_bucket" in p["error"]


def test_stopped_recorder_only_starts():
    st = f.state(recording=False)
    st["recorder_status"]["lastStatus"] = "Failure"
    for mode in ("preserve", "all_supported"):
        _ignored, p = make_plan(st, f.account(), desired_for(mode))
        assert actions(p) == [plan.START_RECORDER]
        assert p["actions"][0]["why"] == "start recording"
    _ignored, p = make_plan(st, f.account(), desired_for("required"))
    assert actions(p) == [plan.PUT_RECORDER, plan.START_RECORDER]
    assert put_recorder(p)["recordingGroup"] == f.inclusion(f.ALL_TYPES)


def _canon_after(start, mode):
    st, acct, extra, _ignored = copy.deepcopy(STARTS[start])
    _ignored, p = make_plan(st, acct, desired_for(mode, **extra))
    after = plan.simulate(st, p["actions"])
    return recording.canonical_group(after["recorder"]["recordingGroup"]), p


GROUP_CASES = [
    # start, mode, expected canonical group afterwards
    ("all-no-global-home", "preserve", {"strategy": c.ALL_SUPPORTED, "include_global": True, "types": [], "excluded": []}),
    ("all-no-global-home", "all_supported", {"strategy": c.ALL_SUPPORTED, "include_global": True, "types": [], "excluded": []}),
    ("all-no-global-home", "required", {"strategy": c.INCLUSION, "include_global": False, "types": f.ALL_TYPES, "excluded": []}),
    ("legacy-all-no-global", "preserve", {"strategy": c.ALL_SUPPORTED, "include_global": True, "types": [], "excluded": []}),
    # a linked Region needs no IAM types: nothing is turned on there
    ("all-no-global-linked", "preserve", {"strategy": c.ALL_SUPPORTED, "include_global": False, "types": [], "excluded": []}),
    ("all-no-global-linked", "all_supported", {"strategy": c.ALL_SUPPORTED, "include_global": False, "types": [], "excluded": []}),
    ("all-no-global-linked", "required", {"strategy": c.INCLUSION, "include_global": False, "types": f.REGIONAL_TYPES,
                                          "excluded": []}),
    ("all-global-linked", "all_supported", {"strategy": c.ALL_SUPPORTED, "include_global": True, "types": [], "excluded": []}),
    ("no-recorder-linked", "preserve", {"strategy": c.INCLUSION, "include_global": False, "types": f.REGIONAL_TYPES,
                                        "excluded": []}),
    ("no-recorder-linked", "all_supported", {"strategy": c.ALL_SUPPORTED, "include_global": False, "types": [], "excluded": []}),
    ("no-recorder-home", "preserve", {"strategy": c.INCLUSION, "include_global": False, "types": f.ALL_TYPES, "excluded": []}),
    ("no-recorder-home", "all_supported", {"strategy": c.ALL_SUPPORTED, "include_global": True, "types": [], "excluded": []}),
    # the user's own extra type survives preserve, not required
    ("inclusion-missing+extra", "preserve", {"strategy": c.INCLUSION, "include_global": False,
                                             "types": sorted(f.ALL_TYPES + [LAMBDA], key=str.lower), "excluded": []}),
    ("inclusion-missing+extra", "required", {"strategy": c.INCLUSION, "include_global": False, "types": f.ALL_TYPES,
                                             "excluded": []}),
    ("inclusion-linked", "preserve", {"strategy": c.INCLUSION, "include_global": False, "types": f.REGIONAL_TYPES,
                                      "excluded": []}),
    # the user's own exclusion survives preserve; the required one goes
    ("exclusion-required+own", "preserve", {"strategy": c.EXCLUSION, "include_global": False, "types": [], "excluded": [ENI]}),
    ("exclusion-required+own", "all_supported", {"strategy": c.ALL_SUPPORTED, "include_global": True, "types": [],
                                                 "excluded": []}),
    # nothing left to exclude: record everything, IAM included (as the exclusion did)
    ("exclusion-only-required", "preserve", {"strategy": c.ALL_SUPPORTED, "include_global": True, "types": [], "excluded": []}),
    # IAM exclusions are kept in a linked Region, where they do not count
    ("exclusion-iam-linked", "preserve", {"strategy": c.EXCLUSION, "include_global": False, "types": [],
                                          "excluded": sorted(f.IAM)}),
    ("iam-unrecordable-standalone", "preserve", {"strategy": c.INCLUSION, "include_global": False, "types": f.REGIONAL_TYPES,
                                                 "excluded": []}),
    ("iam-unrecordable-standalone", "all_supported", {"strategy": c.ALL_SUPPORTED, "include_global": False, "types": [],
                                                      "excluded": []}),
    ("iam-unrecordable-linked", "required", {"strategy": c.INCLUSION, "include_global": False, "types": f.REGIONAL_TYPES,
                                             "excluded": []}),
    ("no-controls", "required", {"strategy": c.ALL_SUPPORTED, "include_global": False, "types": [], "excluded": []}),
    ("no-controls", "preserve", {"strategy": c.ALL_SUPPORTED, "include_global": False, "types": [], "excluded": []}),
]


@pytest.mark.parametrize("start,mode,group", GROUP_CASES)
def test_planned_group(start, mode, group):
    canon, _ignored = _canon_after(start, mode)
    assert canon == group


def test_workspaces_spelling_kept_in_preserve():
    canon, p = _canon_after("inclusion-workspaces", "preserve")
    assert p["actions"] == []
    assert canon["types"] == ["AWS::S3::Bucket", "AWS::WorkSpaces::WorkSpace"]


def test_empty_required_list_warns():
    _ignored, p = _canon_after("no-controls", "required")
    assert any("No enabled control needs recording" in w for w in p["warnings"])


def test_iam_unrecordable_region_warns_and_stays_failed():
    st, acct, extra, _ignored = copy.deepcopy(STARTS["iam-unrecordable-standalone"])
    _ignored, p = make_plan(st, acct, desired_for("preserve"))
    assert any("IAM global types cannot be recorded in %s" % UNRECORDABLE in w for w in p["warnings"])
    assert p["predicted_status"] == c.FAILED
    assert p["predicted_reasons"][0]["code"] == c.MISSING_TYPES
    after = plan.simulate(st, p["actions"])
    assert verdict.evaluate_region(after, acct)["missing_resource_types"] == f.IAM_NEEDED


@pytest.mark.parametrize("mode", MODES)
def test_recording_mode_survives(mode):
    st, acct, extra, _ignored = copy.deepcopy(STARTS["mode-daily+override"])
    _ignored, p = make_plan(st, acct, desired_for(mode))
    assert put_recorder(p)["recordingMode"] == {"recordingFrequency": c.DAILY, "recordingModeOverrides": [
        {"description": "kms continuous", "resourceTypes": ["AWS::KMS::Key"], "recordingFrequency": c.CONTINUOUS}]}


def test_recording_mode_options_replace_mode():
    st = f.state(rec=f.recorder(f.inclusion(f.ALL_TYPES), recording_mode=f.mode(c.DAILY, [
        {"description": "x", "resourceTypes": ["AWS::KMS::Key"], "recordingFrequency": c.CONTINUOUS}])))
    _ignored, p = make_plan(st, f.account(), desired_for("preserve", recording_frequency=c.CONTINUOUS, recording_mode_overrides=[]))
    assert put_recorder(p)["recordingMode"] == {"recordingFrequency": c.CONTINUOUS, "recordingModeOverrides": []}
    over = [{"description": None, "resource_types": ["AWS::S3::Bucket"], "recording_frequency": c.DAILY}]
    _ignored, p = make_plan(st, f.account(), desired_for("preserve", recording_mode_overrides=over))
    assert put_recorder(p)["recordingMode"] == {"recordingFrequency": c.DAILY, "recordingModeOverrides": [
        {"description": "", "resourceTypes": ["AWS::S3::Bucket"], "recordingFrequency": c.DAILY}]}
    converge(st, f.account(), desired_for("preserve", recording_mode_overrides=over))


def test_extra_resource_types():
    # preserve + extra type: added to an inclusion list, and dropped from an exclusion list
    st = f.state(rec=f.recorder(f.inclusion(f.ALL_TYPES)))
    _ignored, p = make_plan(st, f.account(), desired_for("preserve", extra_resource_types=[LAMBDA]))
    assert LAMBDA in put_recorder(p)["recordingGroup"]["resourceTypes"]
    converge(st, f.account(), desired_for("preserve", extra_resource_types=[LAMBDA]))
    st = f.state(rec=f.recorder(f.exclusion([LAMBDA, ENI])))
    _ignored, p = make_plan(st, f.account(), desired_for("preserve", extra_resource_types=[LAMBDA]))
    assert put_recorder(p)["recordingGroup"]["exclusionByResourceTypes"]["resourceTypes"] == [ENI]
    # an extra IAM type under ALL_SUPPORTED turns on global recording even in a linked Region
    st = f.state(region=f.OTHER, rec=f.recorder(f.all_supported(False)))
    _ignored, p = make_plan(st, f.account(f.aggregator()), desired_for("preserve", extra_resource_types=["AWS::IAM::Role"]))
    assert put_recorder(p)["recordingGroup"]["includeGlobalResourceTypes"] is True


def test_channel_settings_survive_and_change_by_option():
    st, acct, extra, _ignored = copy.deepcopy(STARTS["channel-changed-option"])
    _ignored, p = make_plan(st, acct, desired_for("preserve", **extra))
    assert actions(p) == [plan.PUT_CHANNEL]
    assert p["actions"][0]["why"] == "update the delivery channel"
    assert p["actions"][0]["params"]["DeliveryChannel"] == {
        "name": "default", "s3BucketName": "other-bucket", "snsTopicARN": "arn:aws:sns:us-east-1:123456789012:cfg",
        "configSnapshotDeliveryProperties": {"deliveryFrequency": "Six_Hours"}}


@pytest.mark.parametrize("option", [None, {}, {"s3_bucket": f.BUCKET}, {"s3_bucket": f.BUCKET, "delivery_frequency": "TwentyFour_Hours"},
                                    {"name": "ignored", "s3_bucket": None}])
@pytest.mark.parametrize("mode", MODES)
def test_existing_channel_left_alone(option, mode):
    st = f.state(rec=f.recorder(f.inclusion(f.ALL_TYPES)) if mode != "all_supported" else f.recorder())
    _ignored, p = make_plan(st, f.account(), desired_for(mode, delivery_channel=option))
    assert p["actions"] == []


def test_clearing_the_key_prefix_is_idempotent():
    st = f.state(chan=f.channel(s3KeyPrefix="old"))
    desired = desired_for("preserve", delivery_channel={"s3_bucket": f.BUCKET, "s3_key_prefix": ""})
    _ignored, p = make_plan(st, f.account(), desired)
    assert actions(p) == [plan.PUT_CHANNEL]
    assert p["actions"][0]["params"]["DeliveryChannel"] == {"name": "default", "s3BucketName": f.BUCKET}
    converge(st, f.account(), desired)


# --- recorders that already pass -----------------------------------------------------------------
ALREADY_PASSING = [
    # state, account, modes in which the recorder already matches (no actions)
    ("all+global", f.state(), f.account(), ["preserve", "all_supported"]),
    ("legacy-all+global", f.state(rec=f.recorder(f.all_supported(True, legacy=True))), f.account(), ["preserve", "all_supported"]),
    ("inclusion-exact", f.state(rec=f.recorder(f.inclusion(f.ALL_TYPES))), f.account(), MODES[:2]),
    ("inclusion-legacy-unsorted", f.state(rec=f.recorder(f.inclusion(list(reversed(f.ALL_TYPES)), legacy=True))), f.account(),
     MODES[:2]),
    ("inclusion-superset", f.state(rec=f.recorder(f.inclusion(f.ALL_TYPES + [LAMBDA]))), f.account(), ["preserve"]),
    ("exclusion-unrelated", f.state(rec=f.recorder(f.exclusion([ENI]))), f.account(), ["preserve"]),
    ("linked-all-no-global", f.state(region=f.OTHER, rec=f.recorder(f.all_supported(False))), f.account(f.aggregator()),
     ["preserve", "all_supported"]),
    ("linked-inclusion-regional", f.state(region=f.OTHER, rec=f.recorder(f.inclusion(f.REGIONAL_TYPES))),
     f.account(f.aggregator()), MODES[:2]),
    ("daily-mode", f.state(rec=f.recorder(recording_mode=f.mode(c.DAILY))), f.account(), ["preserve", "all_supported"]),
    ("no-mode-key", f.state(rec=dict(f.recorder(), recordingMode=None)), f.account(), ["preserve", "all_supported"]),
    ("sh-v2", f.state(rec=None, chan=None, slrs=[f.sh_recorder_summary()]), f.account(), MODES),
    ("waived-custom-role-kept", f.state(rec=f.recorder(role=f.CUSTOM_ROLE), sh=f.security_hub(params=f.role_param(False))),
     f.account(), ["preserve", "all_supported"]),
]


@pytest.mark.parametrize("st,acct,matching", [x[1:] for x in ALREADY_PASSING], ids=[x[0] for x in ALREADY_PASSING])
@pytest.mark.parametrize("mode", MODES)
def test_already_passing(st, acct, matching, mode):
    extra = {"role": f.CUSTOM_ROLE} if st["recorder"] and st["recorder"]["roleARN"] == f.CUSTOM_ROLE else {}
    desired = desired_for(mode, **extra)
    result, p = make_plan(st, acct, desired)
    assert result["status"] == c.PASSED
    if mode in matching:
        assert p["actions"] == []
        assert p["predicted_status"] == c.PASSED
        assert p["after"] == p["before"]
    else:
        assert actions(p) == [plan.PUT_RECORDER]
        converge(st, acct, desired)


# --- skipped Regions -----------------------------------------------------------------------------
def test_control_tower_skip():
    st, acct, extra, _ignored = copy.deepcopy(STARTS["control-tower-skip"])
    result, p = make_plan(st, acct, desired_for("preserve", **extra))
    assert p["actions"] == [] and p["error"] is None
    assert f.CT_RECORDER in p["skipped"] and "control_tower=manage" in p["skipped"] and "FAILED" in p["skipped"]
    assert p["predicted_status"] == c.FAILED and p["predicted_reasons"] == result["reasons"]
    # skip is the default
    _ignored, p = make_plan(st, acct, {"resource_types": "preserve"})
    assert p["skipped"] and p["actions"] == []


def test_control_tower_manage_keeps_name():
    st, acct, extra, _ignored = copy.deepcopy(STARTS["control-tower-manage"])
    _ignored, p = make_plan(st, acct, desired_for("preserve", **extra))
    rec = put_recorder(p)
    assert rec["name"] == f.CT_RECORDER and rec["roleARN"] == f.SLR
    assert p["skipped"] is None


def test_security_hub_recorder_skipped():
    st, acct, extra, _ignored = copy.deepcopy(STARTS["security-hub-v2+failing-customer"])
    _ignored, p = make_plan(st, acct, desired_for("required"))
    assert p["actions"] == [] and c.SECURITY_HUB_RECORDER_NAME in p["skipped"]
    assert p["predicted_status"] == c.PASSED


def test_not_available_skipped():
    st = f.state(rec=None, errors=[f.error()])
    _ignored, p = make_plan(st, f.account(), desired_for("preserve"))
    assert p["actions"] == [] and p["skipped"].startswith("cannot be evaluated: SECOPS_ACCESS_DENIED")
    assert p["predicted_status"] == c.NOT_AVAILABLE


# --- DAILY conflicts ----------------------------------------------------------------------------------
RC = "AWS::Config::ResourceCompliance"


@pytest.mark.parametrize("group,mode,conflicts", [
    ({"strategy": c.INCLUSION, "types": [RC, "AWS::S3::Bucket"]}, f.mode(c.DAILY, []), [RC]),
    ({"strategy": c.INCLUSION, "types": [RC]}, f.mode(c.DAILY, [{"resourceTypes": [RC], "recordingFrequency": c.CONTINUOUS}]), []),
    ({"strategy": c.INCLUSION, "types": [RC, "AWS::Config::ConformancePackCompliance"]},
     f.mode(c.CONTINUOUS, [{"resourceTypes": [RC], "recordingFrequency": c.DAILY}]), [RC]),
    ({"strategy": c.INCLUSION, "types": [RC]}, f.mode(c.CONTINUOUS, []), []),
    ({"strategy": c.INCLUSION, "types": ["AWS::S3::Bucket"]}, f.mode(c.DAILY, []), []),
    ({"strategy": c.ALL_SUPPORTED, "types": []}, f.mode(c.DAILY, []), []),
    ({"strategy": c.EXCLUSION, "types": []}, f.mode(c.DAILY, []), []),
])
def test_daily_conflicts(group, mode, conflicts):
    assert plan.daily_conflicts(group, recording.canonical_mode(mode)) == conflicts


def test_daily_conflict_is_a_plan_error():
    st = f.state(rec=f.recorder(f.inclusion(f.ALL_TYPES + [RC])))
    _ignored, p = make_plan(st, f.account(), desired_for("preserve", recording_frequency=c.DAILY))
    assert p["actions"] == []
    assert p["error"].startswith("recording_frequency:") and RC in p["error"]
    ok = desired_for("preserve", recording_frequency=c.DAILY,
                     recording_mode_overrides=[{"resource_types": [RC], "recording_frequency": c.CONTINUOUS}])
    _ignored, p = make_plan(st, f.account(), ok)
    assert p["error"] is None and actions(p) == [plan.PUT_RECORDER]


# --- plan_account ------------------------------------------------------------------------------
def _plans(*states, **desired_extra):
    acct = f.account(slr_exists=False)
    out = {}
    for i, st in enumerate(states):
        out["r%d" % i] = make_plan(st, acct, desired_for("preserve", **desired_extra))[1]
    return out


@pytest.mark.parametrize("exists,states,role,expected", [
    (False, [f.state(rec=None)], "service_linked", True),
    (None, [f.state(rec=f.recorder(role=f.CUSTOM_ROLE))], "service_linked", True),
    (True, [f.state(rec=None)], "service_linked", False),
    (False, [f.state(rec=None)], f.CUSTOM_ROLE, False),
    (False, [f.state(recording=False)], "service_linked", False),  # only a start: no recorder written
    (False, [f.state(), f.state(region=f.OTHER, slrs=[f.sh_recorder_summary()], rec=None)], "service_linked", False),
    (False, [f.state(), f.state(region=f.OTHER, rec=None)], "service_linked", True),
])
def test_plan_account(exists, states, role, expected):
    acct = f.account(slr_exists=exists)
    desired = desired_for("preserve", role=role)
    plans = {st["region"]: make_plan(st, acct, desired)[1] for st in states}
    got = plan.plan_account(acct, plans, desired)
    if expected:
        assert got == [{"action": plan.CREATE_SLR, "params": {"AWSServiceName": "config.amazonaws.com"},
                        "why": "the recorder needs the AWS Config service-linked role"}]
    else:
        assert got == []


# --- check_desired ------------------------------------------------------------------------------------
def test_check_desired_accepts_a_good_spec():
    good = desired_for("preserve", role="arn:aws-us-gov:iam::123456789012:role/path/to/Role_1",
                       extra_resource_types=["AWS::S3::Bucket"], recording_frequency=c.DAILY,
                       recording_mode_overrides=[{"resource_types": [RC], "recording_frequency": c.CONTINUOUS}],
                       delivery_channel={"s3_bucket": "my.bucket-1", "s3_kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/abcd-1234",
                                         "sns_topic_arn": "arn:aws:sns:eu-west-1:123456789012:config-topic",
                                         "delivery_frequency": "One_Hour"})
    assert plan.check_desired(good) == []
    assert plan.check_desired({}) == []
    assert plan.check_desired(desired_for("required")) == []


@pytest.mark.parametrize("bad,option", [
    ({"role": "MyConfigRole"}, "role:"),
    ({"role": "arn:aws:iam::12345:role/x"}, "role:"),
    ({"role": "arn:aws:iam::123456789012:user/x"}, "role:"),
    ({"extra_resource_types": ["S3::Bucket"]}, "extra_resource_types"),
    ({"recording_mode_overrides": [{"resource_types": [RC], "recording_frequency": c.DAILY}]}, "recording_mode_overrides:"),
    ({"recording_mode_overrides": [{"resource_types": ["AWS::Config::ConfigurationRecorder", "AWS::S3::Bucket"],
                                    "recording_frequency": c.DAILY}]}, "recording_mode_overrides:"),
    ({"recording_mode_overrides": [{"resource_types": ["AWS::Config::ConformancePackCompliance"],
                                    "recording_frequency": c.DAILY}]}, "recording_mode_overrides:"),
    ({"recording_mode_overrides": [{"resource_types": ["AWS::S3::Bucket"], "recording_frequency": c.DAILY},
                                   {"resource_types": ["AWS::KMS::Key"], "recording_frequency": c.CONTINUOUS}]},
     "recording_mode_overrides:"),
    ({"recording_frequency": c.DAILY, "extra_resource_types": [RC]}, "recording_frequency:"),
    ({"delivery_channel": {"s3_bucket": "My_Bucket"}}, "delivery_channel.s3_bucket"),
    ({"delivery_channel": {"s3_bucket": "ab"}}, "delivery_channel.s3_bucket"),
    ({"delivery_channel": {"s3_bucket": "-bucket"}}, "delivery_channel.s3_bucket"),
    ({"delivery_channel": {"s3_bucket": "b" * 64}}, "delivery_channel.s3_bucket"),
    ({"delivery_channel": {"s3_bucket": ""}}, "delivery_channel.s3_bucket"),
    ({"delivery_channel": {"s3_kms_key_arn": "abcd-1234"}}, "delivery_channel.s3_kms_key_arn"),
    ({"delivery_channel": {"s3_kms_key_arn": "arn:aws:sns:us-east-1:123456789012:key/abc"}}, "delivery_channel.s3_kms_key_arn"),
    ({"delivery_channel": {"sns_topic_arn": "my-topic"}}, "delivery_channel.sns_topic_arn"),
    ({"delivery_channel": {"sns_topic_arn": "arn:aws:sqs:us-east-1:123456789012:q"}}, "delivery_channel.sns_topic_arn"),
    ({"delivery_channel": {"delivery_frequency": "Hourly"}}, "delivery_channel.delivery_frequency"),
])
def test_check_desired_rejects(bad, option):
    errors = plan.check_desired(desired_for("preserve", **bad))
    assert len(errors) == 1, errors
    assert errors[0].startswith(option) or option in errors[0].split(":")[0], errors[0]


def test_check_desired_reports_every_problem():
    bad = {"role": "x", "delivery_channel": {"s3_bucket": "B", "sns_topic_arn": "t", "s3_kms_key_arn": "k"},
           "recording_mode_overrides": [{"resource_types": [RC], "recording_frequency": c.DAILY}] * 2}
    errors = plan.check_desired(bad)
    heads = sorted(e.split(":")[0] for e in errors)
    assert heads == ["delivery_channel.s3_bucket", "delivery_channel.s3_kms_key_arn", "delivery_channel.sns_topic_arn",
                     "recording_mode_overrides", "recording_mode_overrides", "recording_mode_overrides", "role"]


# --- simulate and snapshot --------------------------------------------------------------------------
def test_simulate_does_not_mutate_and_keeps_arn():
    st = f.state(rec=f.recorder(role=f.CUSTOM_ROLE), recording=False)
    before = copy.deepcopy(st)
    _ignored, p = make_plan(st, f.account(), desired_for("preserve"))
    after = plan.simulate(st, p["actions"])
    assert st == before
    assert after["recorder"]["arn"] == st["recorder"]["arn"]
    assert after["recorder_status"]["recording"] is True
    assert plan.simulate(st, []) == st


def test_snapshot_of_empty_region():
    assert plan.snapshot({"region": "x"}) == {"recorder": None, "recording": False, "delivery_channel": None}


def test_switch_from_custom_role_warns_about_bucket_policy():
    custom = "arn:aws:iam::%s:role/MyConfigRole" % f.ACCOUNT_ID
    st = f.state(rec=f.recorder(f.inclusion(["AWS::S3::Bucket"]), role=custom), recording=True,
                 chan={"name": "default", "s3BucketName": "corp-logs"})
    res = verdict.evaluate_region(st, f.account(), {"controls": ["S3.5"]})
    pl = plan.plan_region(st, f.account(), res, {"controls": ["S3.5"]})
    assert [a["action"] for a in pl["actions"]] == [plan.PUT_RECORDER]
    assert any("corp-logs" in w and "config.amazonaws.com" in w for w in pl["warnings"])
    # Already on the service-linked role: no such warning.
    st2 = f.state(rec=f.recorder(f.inclusion(["AWS::S3::Bucket"])), recording=True,
                  chan={"name": "default", "s3BucketName": "corp-logs"})
    pl2 = plan.plan_region(st2, f.account(), verdict.evaluate_region(st2, f.account(), {"controls": ["S3.5"]}), {"controls": ["S3.5"]})
    assert not any("corp-logs" in w for w in pl2["warnings"])
