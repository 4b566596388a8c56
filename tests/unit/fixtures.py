# -*- coding: utf-8 -*-
"""Builders for the plain-dict shapes that gather.py returns (see its docstring).

No AWS, no mocks: every helper returns a fresh dict in AWS's own key names (camelCase for AWS
Config, PascalCase for Security Hub), so tests read like the API responses they stand for.
"""

from __future__ import absolute_import, division, print_function

import copy

from ansible_collections.secops.config1.plugins.module_utils import common as c

ACCOUNT_ID = "123456789012"
HOME = "us-east-1"
OTHER = "eu-west-1"
THIRD = "ap-southeast-2"
SLR = c.slr_arn("aws", ACCOUNT_ID)
CUSTOM_ROLE = "arn:aws:iam::%s:role/MyConfigRole" % ACCOUNT_ID
CT_ROLE = "arn:aws:iam::%s:role/aws-controltower-ConfigRecorderRole" % ACCOUNT_ID
CT_RECORDER = "aws-controltower-BaselineConfigRecorder"
BUCKET = "my-config-bucket"

IAM = list(c.IAM_GLOBAL_TYPES)
# A small, stable control set: two regional controls and two IAM controls.
S3_CONTROL = "S3.5"  # AWS::S3::Bucket
KMS_CONTROL = "KMS.3"  # AWS::KMS::Key
IAM_POLICY_CONTROL = "IAM.1"  # AWS::IAM::Policy
IAM_ALL_CONTROL = "IAM.27"  # AWS::IAM::Group, Role, User
REGIONAL_CONTROLS = [S3_CONTROL, KMS_CONTROL]
IAM_CONTROLS = [IAM_POLICY_CONTROL, IAM_ALL_CONTROL]
ALL_CONTROLS = REGIONAL_CONTROLS + IAM_CONTROLS
REGIONAL_TYPES = ["AWS::KMS::Key", "AWS::S3::Bucket"]
IAM_NEEDED = ["AWS::IAM::Group", "AWS::IAM::Policy", "AWS::IAM::Role", "AWS::IAM::User"]
ALL_TYPES = sorted(REGIONAL_TYPES + IAM_NEEDED, key=lambda t: (t.lower(), t))


# --- recording groups ------------------------------------------------------------------------
def all_supported(include_global=True, legacy=False):
    if legacy:  # what older recorders return: no recordingStrategy at all
        return {"allSupported": True, "includeGlobalResourceTypes": include_global}
    return {
        "allSupported": True,
        "includeGlobalResourceTypes": include_global,
        "resourceTypes": [],
        "exclusionByResourceTypes": {"resourceTypes": []},
        "recordingStrategy": {"useOnly": c.ALL_SUPPORTED},
    }


def inclusion(types, legacy=False):
    if legacy:
        return {"allSupported": False, "includeGlobalResourceTypes": False, "resourceTypes": list(types)}
    return {
        "allSupported": False,
        "includeGlobalResourceTypes": False,
        "resourceTypes": list(types),
        "exclusionByResourceTypes": {"resourceTypes": []},
        "recordingStrategy": {"useOnly": c.INCLUSION},
    }


def exclusion(types, include_global=False):
    return {
        "allSupported": False,
        "includeGlobalResourceTypes": include_global,
        "resourceTypes": [],
        "exclusionByResourceTypes": {"resourceTypes": list(types)},
        "recordingStrategy": {"useOnly": c.EXCLUSION},
    }


def mode(freq=c.CONTINUOUS, overrides=None):
    out = {"recordingFrequency": freq}
    if overrides is not None:
        out["recordingModeOverrides"] = overrides
    return out


# --- Config ------------------------------------------------------------------------------------
def recorder(group=None, role=SLR, name="default", recording_mode=None, region=HOME):
    rec = {
        "arn": "arn:aws:config:%s:%s:configuration-recorder/%s/abc" % (region, ACCOUNT_ID, name),
        "name": name,
        "roleARN": role,
        "recordingGroup": copy.deepcopy(group if group is not None else all_supported()),
        "recordingScope": "PAID",
    }
    if recording_mode is not None:
        rec["recordingMode"] = copy.deepcopy(recording_mode)
    return rec


def channel(bucket=BUCKET, **extra):
    ch = {"name": "default", "s3BucketName": bucket}
    ch.update(extra)
    return ch


def sh_recorder_summary(by_name=True, by_principal=True, region=HOME):
    out = {
        "arn": "arn:aws:config:%s:%s:configuration-recorder/%s/xyz" % (region, ACCOUNT_ID, c.SECURITY_HUB_RECORDER_NAME),
        "name": c.SECURITY_HUB_RECORDER_NAME if by_name else "AWSConfigurationRecorderForSomethingElse",
        "recordingScope": "INTERNAL",
    }
    if by_principal:
        out["servicePrincipal"] = c.SECURITY_HUB_PRINCIPAL
    else:
        out["servicePrincipal"] = "observabilityadmin.amazonaws.com"
    return out


def role_param(value=False, value_type="CUSTOM"):
    param = {"ValueType": value_type}
    if value is not None:
        param["Value"] = {"Boolean": value}
    return {c.ROLE_CHECK_PARAMETER: param}


def security_hub(controls=None, disabled=(), params=None, enabled=True, error=None):
    if error is not None:
        return {"enabled": None, "error": error, "controls": None, "config1_parameters": None}
    if not enabled:
        return {"enabled": False, "error": None, "controls": None, "config1_parameters": None}
    ctl = {c.CONFIG1_CONTROL_ID: "ENABLED"}
    for cid in ALL_CONTROLS if controls is None else controls:
        ctl[cid] = "ENABLED"
    for cid in disabled:
        ctl[cid] = "DISABLED"
    return {
        "enabled": True,
        "error": None,
        "controls": ctl,
        "config1_parameters": params if params is not None else {},
        "config1_update_status": "READY",
    }


_DEFAULT = object()


def state(region=HOME, rec=_DEFAULT, recording=True, chan=_DEFAULT, sh=None, slrs=None, errors=None,
          finding=None, warnings=None):
    """A gathered Region state. Defaults: a passing recorder (ALL_SUPPORTED with globals, SLR)."""
    if rec is _DEFAULT:
        rec = recorder(region=region)
    if chan is _DEFAULT:
        chan = channel()
    return {
        "region": region,
        "errors": list(errors or []),
        "recorder": rec,
        "recorder_status": {"name": rec["name"], "recording": recording, "lastStatus": "Success" if recording else None}
        if rec else None,
        "service_linked_recorders": list(slrs or []),
        "delivery_channel": chan,
        "delivery_channel_status": {"name": chan["name"]} if chan else None,
        "security_hub": sh if sh is not None else security_hub(),
        "finding": finding,
        "warnings": list(warnings or []),
        "calls": 7,
    }


def error(code=c.NA_ACCESS_DENIED, aws_code="AccessDeniedException", operation="config:DescribeConfigurationRecorders",
          message="not allowed"):
    return {"code": code, "aws_code": aws_code, "message": message, "operation": operation}


# --- account -----------------------------------------------------------------------------------
def aggregator(home=HOME, mode_="ALL_REGIONS", regions=()):
    return {
        "arn": "arn:aws:securityhub:%s:%s:finding-aggregator/abc" % (home, ACCOUNT_ID),
        "home_region": home,
        "mode": mode_,
        "regions": sorted(regions),
    }


def account(agg=None, slr_exists=True, warnings=None):
    return {
        "account_id": ACCOUNT_ID,
        "partition": "aws",
        "caller_arn": "arn:aws:iam::%s:user/auditor" % ACCOUNT_ID,
        "service_linked_role": {"exists": slr_exists, "arn": SLR if slr_exists else None},
        "aggregator": agg,
        "warnings": list(warnings or []),
        "calls": 3,
    }


def finding(status, codes=(), fid="f-1"):
    return {
        "Id": fid,
        "Compliance": {
            "Status": status,
            "SecurityControlId": "Config.1",
            "StatusReasons": [{"ReasonCode": code, "Description": "text of %s" % code} for code in codes],
        },
        "Workflow": {"Status": "NEW"},
        "RecordState": "ACTIVE",
        "UpdatedAt": "2025-01-01T00:00:00Z",
    }
