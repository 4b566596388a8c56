# -*- coding: utf-8 -*-
"""Unit tests for recording.py: canonical forms, comparison, missing types."""

from __future__ import absolute_import, division, print_function

import copy

import pytest

from ansible_collections.secops.config1.plugins.module_utils import common as c
from ansible_collections.secops.config1.plugins.module_utils import recording

from tests.unit import fixtures as f

EMPTY_EXCL = {"resourceTypes": []}

# Each row: forms that AWS (or a user) may write for the same recording group.
EQUIVALENT_GROUPS = [
    ("all-supported+global", [
        {"allSupported": True, "includeGlobalResourceTypes": True},
        f.all_supported(True),
        {"allSupported": True, "includeGlobalResourceTypes": True, "resourceTypes": None,
         "exclusionByResourceTypes": None, "recordingStrategy": {"useOnly": c.ALL_SUPPORTED}},
        {"recordingStrategy": {"useOnly": c.ALL_SUPPORTED}, "allSupported": True, "includeGlobalResourceTypes": True},
    ], {"strategy": c.ALL_SUPPORTED, "include_global": True, "types": [], "excluded": []}),
    ("all-supported-no-global", [
        {"allSupported": True},
        {"allSupported": True, "includeGlobalResourceTypes": False},
        f.all_supported(False),
        {"allSupported": True, "includeGlobalResourceTypes": None, "recordingStrategy": {"useOnly": c.ALL_SUPPORTED}},
    ], {"strategy": c.ALL_SUPPORTED, "include_global": False, "types": [], "excluded": []}),
    ("inclusion", [
        {"resourceTypes": ["AWS::S3::Bucket", "AWS::KMS::Key"]},
        {"allSupported": False, "includeGlobalResourceTypes": False, "resourceTypes": ["AWS::KMS::Key", "AWS::S3::Bucket"]},
        f.inclusion(["AWS::S3::Bucket", "AWS::KMS::Key", "AWS::S3::Bucket"]),  # duplicates
        # includeGlobalResourceTypes is meaningless without allSupported
        dict(f.inclusion(["AWS::KMS::Key", "AWS::S3::Bucket"]), includeGlobalResourceTypes=True),
        {"recordingStrategy": {"useOnly": c.INCLUSION}, "resourceTypes": ["AWS::S3::Bucket", "AWS::KMS::Key"],
         "exclusionByResourceTypes": {"resourceTypes": ["AWS::EC2::Volume"]}},  # stray exclusions ignored
    ], {"strategy": c.INCLUSION, "include_global": False, "types": ["AWS::KMS::Key", "AWS::S3::Bucket"], "excluded": []}),
    ("exclusion", [
        f.exclusion(["AWS::EC2::Volume", "AWS::EC2::NetworkInterface"]),
        f.exclusion(["AWS::EC2::NetworkInterface", "AWS::EC2::Volume"], include_global=True),
        {"exclusionByResourceTypes": {"resourceTypes": ["AWS::EC2::Volume", "AWS::EC2::NetworkInterface"]}},
        {"allSupported": False, "resourceTypes": [], "recordingStrategy": {"useOnly": c.EXCLUSION},
         "exclusionByResourceTypes": {"resourceTypes": ["AWS::EC2::Volume", "AWS::EC2::NetworkInterface"]}},
    ], {"strategy": c.EXCLUSION, "include_global": False, "types": [],
        "excluded": ["AWS::EC2::NetworkInterface", "AWS::EC2::Volume"]}),
    ("empty", [None, {}, {"allSupported": False, "resourceTypes": [], "exclusionByResourceTypes": EMPTY_EXCL}],
     {"strategy": c.INCLUSION, "include_global": False, "types": [], "excluded": []}),
]


@pytest.mark.parametrize("forms,canon", [x[1:] for x in EQUIVALENT_GROUPS], ids=[x[0] for x in EQUIVALENT_GROUPS])
def test_canonical_group_equates_forms(forms, canon):
    for form in forms:
        assert recording.canonical_group(form) == canon, form
        # and the full API form goes back to the same canonical group
        api = recording.api_group(canon)
        assert recording.canonical_group(api) == canon
        assert set(api) == {"allSupported", "includeGlobalResourceTypes", "resourceTypes", "exclusionByResourceTypes",
                            "recordingStrategy"}
        assert api["recordingStrategy"] == {"useOnly": canon["strategy"]}
        assert api["allSupported"] is (canon["strategy"] == c.ALL_SUPPORTED)


def test_canonical_forms_of_different_rows_differ():
    canons = [x[2] for x in EQUIVALENT_GROUPS]
    for i, a in enumerate(canons):
        for b in canons[i + 1:]:
            assert a != b


def test_canonical_group_does_not_mutate():
    group = {"resourceTypes": ["b", "a"]}
    recording.canonical_group(group)
    assert group == {"resourceTypes": ["b", "a"]}


def test_api_group_is_valid_for_aws():
    # AWS rejects allSupported=true with resource types, and allSupported=true with EXCLUSION.
    for canon in ({"strategy": c.ALL_SUPPORTED, "include_global": True, "types": ["AWS::S3::Bucket"], "excluded": ["x"]},
                  {"strategy": c.EXCLUSION, "include_global": True, "types": ["AWS::S3::Bucket"], "excluded": ["AWS::EC2::Volume"]},
                  {"strategy": c.INCLUSION, "include_global": True, "types": ["AWS::S3::Bucket"], "excluded": ["AWS::EC2::Volume"]}):
        api = recording.api_group(canon)
        if canon["strategy"] == c.ALL_SUPPORTED:
            assert api["resourceTypes"] == [] and api["exclusionByResourceTypes"] == EMPTY_EXCL
            assert api["includeGlobalResourceTypes"] is True
        else:
            assert api["allSupported"] is False and api["includeGlobalResourceTypes"] is False
        if canon["strategy"] == c.EXCLUSION:
            assert api["exclusionByResourceTypes"] == {"resourceTypes": ["AWS::EC2::Volume"]} and api["resourceTypes"] == []
        if canon["strategy"] == c.INCLUSION:
            assert api["resourceTypes"] == ["AWS::S3::Bucket"] and api["exclusionByResourceTypes"] == EMPTY_EXCL


# --- recording mode --------------------------------------------------------------------------------
DEFAULT_MODE = {"recordingFrequency": c.CONTINUOUS, "recordingModeOverrides": []}


@pytest.mark.parametrize("mode", [None, {}, {"recordingFrequency": c.CONTINUOUS}, {"recordingModeOverrides": []},
                                  {"recordingFrequency": None, "recordingModeOverrides": None}, DEFAULT_MODE])
def test_canonical_mode_defaults(mode):
    assert recording.canonical_mode(mode) == DEFAULT_MODE


def test_canonical_mode_overrides_sorted_and_filled():
    mode = {"recordingFrequency": c.DAILY, "recordingModeOverrides": [
        {"resourceTypes": ["AWS::S3::Bucket", "AWS::EC2::Instance"], "recordingFrequency": c.CONTINUOUS}]}
    assert recording.canonical_mode(mode) == {"recordingFrequency": c.DAILY, "recordingModeOverrides": [
        {"description": "", "resourceTypes": ["AWS::EC2::Instance", "AWS::S3::Bucket"], "recordingFrequency": c.CONTINUOUS}]}


# --- recorders_equal -------------------------------------------------------------------------------
def _base():
    return f.recorder(f.inclusion(["AWS::S3::Bucket", "AWS::KMS::Key"]),
                      recording_mode=f.mode(c.DAILY, [{"description": "keep", "resourceTypes": ["AWS::KMS::Key"],
                                                       "recordingFrequency": c.CONTINUOUS}]))


def _variant(**changes):
    rec = _base()
    for key, value in changes.items():
        rec[key] = value
    return rec


EQUAL_VARIANTS = [
    ("list-order", _variant(recordingGroup=f.inclusion(["AWS::KMS::Key", "AWS::S3::Bucket"]))),
    ("legacy-group", _variant(recordingGroup={"resourceTypes": ["AWS::S3::Bucket", "AWS::KMS::Key"]})),
    ("override-type-order", _variant(recordingMode=f.mode(c.DAILY, [
        {"description": "keep", "resourceTypes": ["AWS::KMS::Key"], "recordingFrequency": c.CONTINUOUS}]))),
    ("no-arn-no-scope", {k: v for k, v in _base().items() if k not in ("arn", "recordingScope")}),
    ("extra-keys", dict(_base(), servicePrincipal=None, recordingScope="PAID", arn="arn:other")),
]


@pytest.mark.parametrize("other", [x[1] for x in EQUAL_VARIANTS], ids=[x[0] for x in EQUAL_VARIANTS])
def test_recorders_equal(other):
    assert recording.recorders_equal(_base(), other)
    assert recording.recorders_equal(other, _base())


def test_recorders_equal_with_filled_in_defaults():
    bare = {"name": "default", "roleARN": f.SLR, "recordingGroup": {"allSupported": True, "includeGlobalResourceTypes": True}}
    full = {"name": "default", "roleARN": f.SLR, "recordingGroup": f.all_supported(True),
            "recordingMode": {"recordingFrequency": c.CONTINUOUS, "recordingModeOverrides": []}}
    assert recording.recorders_equal(bare, full)
    over_a = dict(full, recordingMode=f.mode(c.CONTINUOUS, [{"resourceTypes": ["AWS::S3::Bucket"], "recordingFrequency": c.DAILY}]))
    over_b = dict(full, recordingMode=f.mode(c.CONTINUOUS, [{"description": None, "resourceTypes": ["AWS::S3::Bucket"],
                                                             "recordingFrequency": c.DAILY}]))
    assert recording.recorders_equal(over_a, over_b)


NOT_EQUAL_VARIANTS = [
    ("name", _variant(name="other")),
    ("role", _variant(roleARN=f.CUSTOM_ROLE)),
    ("types", _variant(recordingGroup=f.inclusion(["AWS::S3::Bucket"]))),
    ("strategy", _variant(recordingGroup=f.all_supported(False))),
    ("frequency", _variant(recordingMode=f.mode(c.CONTINUOUS, [
        {"description": "keep", "resourceTypes": ["AWS::KMS::Key"], "recordingFrequency": c.CONTINUOUS}]))),
    ("overrides", _variant(recordingMode=f.mode(c.DAILY))),
    ("override-description", _variant(recordingMode=f.mode(c.DAILY, [
        {"description": "other", "resourceTypes": ["AWS::KMS::Key"], "recordingFrequency": c.CONTINUOUS}]))),
]


@pytest.mark.parametrize("other", [x[1] for x in NOT_EQUAL_VARIANTS], ids=[x[0] for x in NOT_EQUAL_VARIANTS])
def test_recorders_differ(other):
    assert not recording.recorders_equal(_base(), other)


def test_recorders_equal_none():
    assert recording.recorders_equal(None, None)
    assert recording.canonical_recorder(None) is None
    assert not recording.recorders_equal(None, _base())
    assert not recording.recorders_equal(_base(), None)


def test_all_supported_global_flag_matters():
    a = f.recorder(f.all_supported(True))
    b = f.recorder(f.all_supported(False))
    assert not recording.recorders_equal(a, b)
    # ...but not under INCLUSION, where AWS ignores it
    a = f.recorder(dict(f.inclusion(["AWS::S3::Bucket"]), includeGlobalResourceTypes=True))
    b = f.recorder(f.inclusion(["AWS::S3::Bucket"]))
    assert recording.recorders_equal(a, b)


# --- missing_types ---------------------------------------------------------------------------------
MISSING_CASES = [
    ("all+global", f.all_supported(True), f.ALL_TYPES, []),
    ("all-no-global", f.all_supported(False), f.ALL_TYPES, f.IAM_NEEDED),
    ("legacy-all-no-global", {"allSupported": True}, f.ALL_TYPES, f.IAM_NEEDED),
    ("inclusion", f.inclusion(["AWS::S3::Bucket", "AWS::IAM::User"]), f.ALL_TYPES,
     ["AWS::IAM::Group", "AWS::IAM::Policy", "AWS::IAM::Role", "AWS::KMS::Key"]),
    ("inclusion-case", f.inclusion(["aws::s3::BUCKET"]), ["AWS::S3::Bucket"], []),
    ("inclusion-workspaces", f.inclusion(["AWS::WorkSpaces::WorkSpace"]), ["AWS::WorkSpaces::Workspace"], []),
    ("exclusion-iam-recorded", f.exclusion(["AWS::EC2::Volume"]), f.ALL_TYPES, []),
    ("exclusion-iam-excluded", f.exclusion(["AWS::IAM::Role", "aws::kms::key"], include_global=True), f.ALL_TYPES,
     ["AWS::IAM::Role", "AWS::KMS::Key"]),
    ("empty-group", None, ["AWS::S3::Bucket"], ["AWS::S3::Bucket"]),
    ("nothing-required", f.inclusion([]), [], []),
    ("unsorted-required", f.inclusion([]), ["AWS::S3::Bucket", "AWS::ACM::Certificate", "AWS::acm::Alpha"],
     ["AWS::acm::Alpha", "AWS::ACM::Certificate", "AWS::S3::Bucket"]),  # case-insensitive order
]


@pytest.mark.parametrize("group,required,missing", [x[1:] for x in MISSING_CASES], ids=[x[0] for x in MISSING_CASES])
def test_missing_types(group, required, missing):
    assert recording.missing_types(group, required) == missing


# --- misc --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,owner", [
    (None, "customer"), ("", "customer"), ("default", "customer"), ("aws-controltower-BaselineConfigRecorder", "control_tower"),
    (c.SECURITY_HUB_RECORDER_NAME, "service_linked"), ("AWSControlTower", "customer"),
])
def test_managed_by(name, owner):
    assert recording.managed_by(name) == owner


def test_channel_view_fills_defaults_without_mutating():
    ch = {"name": "default", "s3BucketName": "b", "configSnapshotDeliveryProperties": {}}
    before = copy.deepcopy(ch)
    view = recording.channel_view(ch)
    assert ch == before
    assert view == {"name": "default", "s3BucketName": "b", "s3KeyPrefix": None, "s3KmsKeyArn": None, "snsTopicARN": None,
                    "configSnapshotDeliveryProperties": {"deliveryFrequency": "TwentyFour_Hours"}}
    assert recording.channel_view(None) is None
    six = recording.channel_view(dict(ch, configSnapshotDeliveryProperties={"deliveryFrequency": "Six_Hours"}))
    assert six["configSnapshotDeliveryProperties"] == {"deliveryFrequency": "Six_Hours"}


def test_channel_view_treats_empty_strings_as_absent():
    # PutDeliveryChannel is sent without empty keys, so AWS reads them back as absent.
    assert recording.channel_view({"name": "d", "s3BucketName": "b", "s3KeyPrefix": ""}) == \
        recording.channel_view({"name": "d", "s3BucketName": "b"})
