# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""config1_control: Security Hub's side of Config.1 (the role-check parameter, controls to
disable or enable). Pure planning over the state from gather.gather_controls, and the run."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

from ansible_collections.secops.config1.plugins.module_utils import apply
from ansible_collections.secops.config1.plugins.module_utils import base
from ansible_collections.secops.config1.plugins.module_utils import common as c
from ansible_collections.secops.config1.plugins.module_utils import gather
from ansible_collections.secops.config1.plugins.module_utils import plan as p
from ansible_collections.secops.config1.plugins.module_utils import verdict

REASON_RE = re.compile(r"^[A-Za-z0-9 _-]{1,512}$")

ARGS = dict(
    role_check=dict(type="str", choices=["enabled", "disabled", "default"]),
    disabled_controls=dict(type="list", elements="str", default=[]),
    enabled_controls=dict(type="list", elements="str", default=[]),
    reason=dict(type="str", default="Managed by secops config1"),
    wait=dict(type="bool", default=True),
    wait_timeout=dict(type="int", default=300),
)

PARAM_VALUE = {
    "disabled": {"ValueType": "CUSTOM", "Value": {"Boolean": False}},
    "enabled": {"ValueType": "CUSTOM", "Value": {"Boolean": True}},
    "default": {"ValueType": "DEFAULT"},
}


def check_input(params):
    errors = []
    disabled, enabled = params.get("disabled_controls") or [], params.get("enabled_controls") or []
    bad = [x for x in disabled + enabled if not c.CONTROL_ID_RE.match(x or "")]
    if bad:
        errors.append("disabled_controls / enabled_controls: malformed control ID(s) %s; write them like S3.1."
                      % ", ".join(repr(x) for x in bad))
    both = sorted(set(disabled) & set(enabled))
    if both:
        errors.append("Control(s) both in disabled_controls and enabled_controls: %s." % ", ".join(both))
    if c.CONFIG1_CONTROL_ID in disabled:
        errors.append("disabled_controls: refusing to disable Config.1 itself; it is the control this collection enforces.")
    if not REASON_RE.match(params.get("reason") or ""):
        errors.append("reason: Security Hub accepts only letters, digits, spaces, dashes and underscores (1-512).")
    if params.get("role_check") is None and not disabled and not enabled:
        errors.append("Nothing to do: set role_check, disabled_controls or enabled_controls.")
    return errors


def plan_controls(state, params):
    """{actions, before, after, error} for one Region."""
    out = {"region": state["region"], "actions": [], "before": {}, "after": {}, "error": None, "warnings": list(state.get("warnings") or [])}
    config1 = state["controls"].get(c.CONFIG1_CONTROL_ID) or {}
    current = config1.get("parameters", {}).get(c.ROLE_CHECK_PARAMETER) or {"ValueType": "DEFAULT"}
    out["before"]["role_check"] = current
    out["after"]["role_check"] = current
    want = params.get("role_check")
    if want:
        now = verdict.role_check_enabled({c.ROLE_CHECK_PARAMETER: current})
        same = (current.get("ValueType") == "DEFAULT") if want == "default" else (now == (want == "enabled"))
        if not same:
            out["actions"].append({
                "action": p.UPDATE_CONTROL,
                "why": "set %s to %s" % (c.ROLE_CHECK_PARAMETER, want),
                "params": {"SecurityControlId": c.CONFIG1_CONTROL_ID,
                           "Parameters": {c.ROLE_CHECK_PARAMETER: PARAM_VALUE[want]},
                           "LastUpdateReason": params["reason"]},
            })
            out["after"]["role_check"] = PARAM_VALUE[want]
    updates = []
    for target, ids in (("DISABLED", params.get("disabled_controls") or []), ("ENABLED", params.get("enabled_controls") or [])):
        for cid in ids:
            assocs = state["associations"].get(cid) or []
            out["before"][cid] = sorted(set(a["AssociationStatus"] for a in assocs))
            if not assocs:
                out["warnings"].append("%s is not in any enabled standard in %s; nothing to %s." % (cid, state["region"], target.lower()[:-1]))
            for a in assocs:
                if a["AssociationStatus"] != target:
                    item = {"SecurityControlId": cid, "StandardsArn": a["StandardsArn"], "AssociationStatus": target}
                    if target == "DISABLED":
                        item["UpdatedReason"] = params["reason"]
                    updates.append(item)
            out["after"][cid] = [target] if assocs else []
    if updates:
        out["actions"].append({
            "action": p.UPDATE_ASSOCIATIONS,
            "why": "disable/enable controls in their standards",
            "params": {"StandardsControlAssociationUpdates": updates},
        })
    return out


def run(module):
    opts = base.check_common(module)
    params = module.params
    errors = check_input(params)
    if errors:
        module.fail_json(msg="Invalid options, nothing changed: " + " ".join(errors), errors=errors)
    clients = base.Clients(module, opts["regions"], opts["retries"])
    base.check_caller(module, clients, opts["expected_account_id"])
    clients.prepare(("securityhub",), opts["regions"])
    ids = list(dict.fromkeys((params["disabled_controls"] or []) + (params["enabled_controls"] or [])))
    states = base.fan_out(opts["regions"], lambda r: gather.gather_controls(clients, r, ids, ids), opts["concurrency"])
    regions, unavailable = {}, []
    for r in opts["regions"]:
        st = states[r]
        if st.get("exception") is not None or st["errors"]:
            err = st["errors"][0] if st.get("errors") else {"code": c.NA_API_ERROR, "message": str(st.get("exception"))}
            regions[r] = {"changed": False, "skipped": "cannot read Security Hub: %s %s" % (err["code"], err.get("aws_code") or err.get("message")),
                          "actions": [], "before": {}, "after": {}, "warnings": []}
            unavailable.append(r)
            continue
        regions[r] = plan_controls(st, params)
        regions[r]["skipped"] = None
    mutating = 0
    failed = []
    if not module.check_mode:
        writer = apply.Writer(clients, opts["retries"])

        def apply_one(region):
            res = apply.apply_region(writer, region, regions[region]["actions"], {}, None)
            if res["done"] and params["wait"] and any(a["action"] == p.UPDATE_CONTROL for a in res["done"]):
                deadline = time.time() + params["wait_timeout"]
                while gather.config1_update_status(clients, region) == "UPDATING":
                    if time.time() > deadline:
                        res["notes"].append("Config.1 parameter still UPDATING after %ss" % params["wait_timeout"])
                        break
                    time.sleep(2)
            return res

        todo = [r for r in opts["regions"] if regions[r]["actions"]]
        outcome = base.fan_out(todo, apply_one, opts["concurrency"])
        for r, res in outcome.items():
            if res.get("exception") is not None:
                res = {"done": [], "failed": {"error": {"message": str(res["exception"])}}, "not_attempted": regions[r]["actions"], "notes": []}
            regions[r]["result"] = {"done": [a["action"] for a in res["done"]], "not_attempted": [a["action"] for a in res["not_attempted"]],
                                    "notes": res["notes"]}
            if res["failed"]:
                regions[r]["failed"] = res["failed"]["error"]
                failed.append(r)
            regions[r]["changed"] = bool(res["done"])
        mutating = writer.calls
    else:
        for r in regions:
            regions[r]["changed"] = bool(regions[r]["actions"])
    result = {"changed": any(o["changed"] for o in regions.values()), "regions": regions, "api_calls": {"mutating": mutating}}
    if module._diff:
        result["diff"] = {"before": {r: o["before"] for r, o in regions.items() if o["changed"]},
                          "after": {r: o["after"] for r, o in regions.items() if o["changed"]}}
    for r, o in regions.items():
        for w in o.get("warnings") or []:
            module.warn("%s: %s" % (r, w))
    if failed:
        module.fail_json(msg="Security Hub update failed in %s." % ", ".join(failed), **result)
    if unavailable:
        module.fail_json(msg="Could not read Security Hub in %s; the other Regions were handled." % ", ".join(unavailable), **result)
    module.exit_json(**result)
