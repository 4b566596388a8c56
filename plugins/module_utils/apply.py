# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The only writes. Applies a plan's actions in order and reports what was done and what not.

Never stops or deletes a recorder or a channel. A step that fails stops that Region's plan:
the steps already made stay (each leaves the Region no worse than before: a recording
recorder keeps recording), the rest are reported as not attempted.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import threading

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.secops.config1.plugins.module_utils import common as c
from ansible_collections.secops.config1.plugins.module_utils import plan as p
from ansible_collections.secops.config1.plugins.module_utils.gather import AWS_ERRORS, error_info

ALREADY_EXISTS = ("InvalidInput", "EntityAlreadyExists")
# Right after the service-linked role is created IAM may not have propagated it yet.
PROPAGATION_CODES = ["InsufficientDeliveryPolicyException", "InvalidRoleException"]


def _code(exc):
    return str(getattr(exc, "response", {}).get("Error", {}).get("Code", ""))


class Writer:
    """Counts the mutating calls it makes (reported as ``mutating_calls``)."""

    def __init__(self, clients, retries=8, propagation_wait=False):
        self.clients = clients
        self.calls = 0
        self._lock = threading.Lock()  # one Writer serves every Region thread
        self.propagation = None
        if propagation_wait:
            self.propagation = AWSRetry.jittered_backoff(retries=retries, delay=2, max_delay=20, catch_extra_error_codes=PROPAGATION_CODES)

    def __call__(self, service, region, method, **params):
        with self._lock:
            self.calls += 1
        client = self.clients.get(service, region)
        if self.propagation is not None and service == "config" and method in ("put_configuration_recorder", "put_delivery_channel"):
            return self.propagation(getattr(client.client, method))(**params)
        return getattr(client, method)(aws_retry=True, **params)


def apply_account(writer, actions, account):
    """Create the service-linked role. Returns (done, error)."""
    done = []
    for act in actions:
        if act["action"] != p.CREATE_SLR:
            continue
        try:
            resp = writer("iam", None, "create_service_linked_role", **act["params"])
            account["service_linked_role"] = {"exists": True, "arn": resp["Role"]["Arn"]}
        except AWS_ERRORS as e:
            if _code(e) not in ALREADY_EXISTS:
                return done, error_info(e, p.CREATE_SLR)
            # Someone created it meanwhile: it is there, which is what we wanted.
        done.append(act)
    return done, None


def apply_region(writer, region, actions, account, customer_recorder):
    """Run a Region's actions. Returns {done, failed, not_attempted, notes}."""
    out = {"done": [], "failed": None, "not_attempted": [], "notes": []}
    pending = [copy.deepcopy(a) for a in actions]
    while pending:
        act = pending.pop(0)
        try:
            _run(writer, region, act, account, out, customer_recorder)
            out["done"].append(act)
        except AWS_ERRORS as e:
            out["failed"] = dict(act, error=error_info(e, act["action"]))
            out["not_attempted"] = pending
            break
    return out


def _run(writer, region, act, account, out, customer_recorder):
    params = act["params"]
    if act["action"] == p.PUT_RECORDER:
        rec = params["ConfigurationRecorder"]
        slr = (account.get("service_linked_role") or {}).get("arn")
        if c.is_service_linked_role_arn(rec.get("roleARN")) and slr:
            rec["roleARN"] = slr  # the ARN the role really has, once it exists
        try:
            writer("config", region, "put_configuration_recorder", ConfigurationRecorder=rec)
        except AWS_ERRORS as e:
            if _code(e) != "MaxNumberOfConfigurationRecordersExceededException":
                raise
            # A recorder appeared since we read the Region: update that one instead of adding one.
            existing = customer_recorder(region)
            if not existing:
                raise
            out["notes"].append("recorder %s appeared meanwhile; updated it instead" % existing["name"])
            rec["name"] = existing["name"]
            writer("config", region, "put_configuration_recorder", ConfigurationRecorder=rec)
    elif act["action"] == p.PUT_CHANNEL:
        try:
            writer("config", region, "put_delivery_channel", **params)
        except AWS_ERRORS as e:
            if _code(e) != "MaxNumberOfDeliveryChannelsExceededException":
                raise
            out["notes"].append("a delivery channel appeared meanwhile; left it as it is")
    elif act["action"] == p.START_RECORDER:
        name = params["ConfigurationRecorderName"]
        for done in out["done"]:
            if done["action"] == p.PUT_RECORDER:
                name = done["params"]["ConfigurationRecorder"]["name"]
        writer("config", region, "start_configuration_recorder", ConfigurationRecorderName=name)
    elif act["action"] == p.UPDATE_CONTROL:
        writer("securityhub", region, "update_security_control", **params)
    elif act["action"] == p.UPDATE_ASSOCIATIONS:
        resp = writer("securityhub", region, "batch_update_standards_control_associations", **params)
        unprocessed = resp.get("UnprocessedAssociationUpdates") or []
        if unprocessed:
            first = unprocessed[0]
            raise_unprocessed(first)
    else:
        raise ValueError("unknown action %s" % act["action"])


def raise_unprocessed(item):
    from botocore.exceptions import ClientError  # pylint: disable=import-outside-toplevel

    raise ClientError(
        {"Error": {"Code": item.get("ErrorCode") or "Unprocessed", "Message": item.get("ErrorReason") or "unprocessed"}},
        "BatchUpdateStandardsControlAssociations",
    )
