# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure helpers over AWS Config recorder shapes: normalise, compare, and say what is recorded.

AWS returns the same recording group in several forms (legacy ``allSupported`` without a
``recordingStrategy``, empty lists or missing keys, unsorted lists). Everything here turns them
into one canonical form so that a recorder that already passes is never rewritten.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.secops.config1.plugins.module_utils import common as c


def _sorted_types(types):
    return sorted(set(types or ()), key=lambda t: (t.lower(), t))


def canonical_group(group):
    """Canonical recording group: {strategy, include_global, types, excluded}."""
    group = group or {}
    strategy = (group.get("recordingStrategy") or {}).get("useOnly")
    types = _sorted_types(group.get("resourceTypes"))
    excluded = _sorted_types((group.get("exclusionByResourceTypes") or {}).get("resourceTypes"))
    if not strategy:
        if group.get("allSupported"):
            strategy = c.ALL_SUPPORTED
        elif excluded:
            strategy = c.EXCLUSION
        else:
            strategy = c.INCLUSION
    include_global = bool(group.get("includeGlobalResourceTypes")) if strategy == c.ALL_SUPPORTED else False
    if strategy != c.INCLUSION:
        types = []
    if strategy != c.EXCLUSION:
        excluded = []
    return {"strategy": strategy, "include_global": include_global, "types": types, "excluded": excluded}


def api_group(canon):
    """The full API form of a canonical group (what PutConfigurationRecorder is sent)."""
    strategy = canon["strategy"]
    return {
        "allSupported": strategy == c.ALL_SUPPORTED,
        "includeGlobalResourceTypes": bool(canon.get("include_global")) and strategy == c.ALL_SUPPORTED,
        "resourceTypes": list(canon.get("types") or []) if strategy == c.INCLUSION else [],
        "exclusionByResourceTypes": {
            "resourceTypes": list(canon.get("excluded") or []) if strategy == c.EXCLUSION else []
        },
        "recordingStrategy": {"useOnly": strategy},
    }


def canonical_mode(mode):
    """Canonical recording mode: AWS's default (CONTINUOUS, no overrides) filled in."""
    mode = mode or {}
    overrides = []
    for o in mode.get("recordingModeOverrides") or []:
        overrides.append(
            {
                "description": o.get("description") or "",
                "resourceTypes": _sorted_types(o.get("resourceTypes")),
                "recordingFrequency": o.get("recordingFrequency") or c.CONTINUOUS,
            }
        )
    overrides.sort(key=lambda o: (o["recordingFrequency"], o["resourceTypes"], o["description"]))
    return {"recordingFrequency": mode.get("recordingFrequency") or c.CONTINUOUS, "recordingModeOverrides": overrides}


def canonical_recorder(rec):
    """Canonical customer-managed recorder, or None. Only the fields PutConfigurationRecorder sets."""
    if not rec:
        return None
    return {
        "name": rec.get("name"),
        "roleARN": rec.get("roleARN"),
        "recordingGroup": api_group(canonical_group(rec.get("recordingGroup"))),
        "recordingMode": canonical_mode(rec.get("recordingMode")),
    }


def recorders_equal(a, b):
    return canonical_recorder(a) == canonical_recorder(b)


def lower_set(types):
    return {t.lower() for t in types or ()}


def missing_types(group, required):
    """Required types that the recording group does not record (sorted)."""
    canon = canonical_group(group)
    strategy = canon["strategy"]
    missing = []
    for t in required:
        lt = t.lower()
        if strategy == c.ALL_SUPPORTED:
            recorded = canon["include_global"] or t not in c.IAM_GLOBAL_TYPES
        elif strategy == c.EXCLUSION:
            # includeGlobalResourceTypes has no effect here: IAM types are recorded unless excluded.
            recorded = lt not in lower_set(canon["excluded"])
        else:
            recorded = lt in lower_set(canon["types"])
        if not recorded:
            missing.append(t)
    return _sorted_types(missing)


def managed_by(name):
    if name and name.startswith(c.CONTROL_TOWER_RECORDER_PREFIX):
        return "control_tower"
    if name and name.startswith("AWSConfigurationRecorderFor"):
        return "service_linked"
    return "customer"


def channel_view(channel):
    """Delivery channel with AWS defaults filled in, or None."""
    if not channel:
        return None
    out = copy.deepcopy(channel)
    props = out.get("configSnapshotDeliveryProperties") or {}
    out["configSnapshotDeliveryProperties"] = {"deliveryFrequency": props.get("deliveryFrequency") or "TwentyFour_Hours"}
    for key in ("s3KeyPrefix", "s3KmsKeyArn", "snsTopicARN"):
        # "" means absent: plan drops empty keys before PutDeliveryChannel, so AWS reads them back
        # missing. Without this, s3_key_prefix: "" planned a PutDeliveryChannel on every run.
        out[key] = out.get(key) or None
    return out
