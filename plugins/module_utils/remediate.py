# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""config1_recorder's run: gather -> evaluate -> plan -> (apply -> verify). Kept out of the
module file so that the module is docs + argument spec + a call."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.secops.config1.plugins.module_utils import apply
from ansible_collections.secops.config1.plugins.module_utils import base
from ansible_collections.secops.config1.plugins.module_utils import common as c
from ansible_collections.secops.config1.plugins.module_utils import gather
from ansible_collections.secops.config1.plugins.module_utils import plan
from ansible_collections.secops.config1.plugins.module_utils import verdict

ARGS = dict(
    role=dict(type="str", default="service_linked"),
    resource_types=dict(type="str", default="preserve", choices=["preserve", "required", "all_supported"]),
    extra_resource_types=dict(type="list", elements="str", default=[]),
    recording_frequency=dict(type="str", choices=["CONTINUOUS", "DAILY"]),
    recording_mode_overrides=dict(
        type="list",
        elements="dict",
        options=dict(
            description=dict(type="str"),
            resource_types=dict(type="list", elements="str", required=True),
            recording_frequency=dict(type="str", required=True, choices=["CONTINUOUS", "DAILY"]),
        ),
    ),
    delivery_channel=dict(
        type="dict",
        options=dict(
            name=dict(type="str"),
            s3_bucket=dict(type="str"),
            s3_key_prefix=dict(type="str", no_log=False),
            s3_kms_key_arn=dict(type="str", no_log=False),
            sns_topic_arn=dict(type="str"),
            delivery_frequency=dict(type="str", choices=list(c.DELIVERY_FREQUENCIES)),
        ),
    ),
    recorder_name=dict(type="str", default=c.DEFAULT_RECORDER_NAME),
    control_tower=dict(type="str", default="skip", choices=["skip", "manage"]),
    fail_on_unavailable=dict(type="bool", default=True),
)


def gather_all(clients, opts, account):
    controls_given = opts["controls"] is not None
    return base.fan_out(
        opts["regions"],
        lambda region: gather.gather_region(clients, region, account["account_id"], controls_given),
        opts["concurrency"],
    )


def run(module):
    opts = base.check_common(module)
    desired = dict(module.params, controls=opts["controls"], home_region=opts["home_region"])
    errors = plan.check_desired(desired)
    if errors:
        module.fail_json(msg="Invalid options, nothing changed: " + " ".join(errors), errors=errors)
    if not desired["recorder_name"] or desired["recorder_name"].startswith("AWSConfigurationRecorderFor"):
        module.fail_json(msg="recorder_name: %r is reserved for service-linked recorders; choose another name." % desired["recorder_name"])
    clients = base.Clients(module, opts["regions"], opts["retries"])
    account = base.account_or_fail(module, clients, opts)
    role_match = plan.ROLE_ARN_RE.match(desired["role"]) if desired["role"] != "service_linked" else None
    if role_match and role_match.group(1) != account["account_id"]:
        module.fail_json(msg="role: %s belongs to account %s, but the recorder is in account %s; AWS Config needs a role "
                         "of its own account." % (desired["role"], role_match.group(1), account["account_id"]))
    clients.prepare(("config", "securityhub"), opts["regions"])
    states = gather_all(clients, opts, account)
    results = verdict.evaluate_all(account, states, opts)
    # A Region whose gather raised is NOT_AVAILABLE: its plan only says why it is skipped.
    plans = {r: plan.plan_region(states[r] if "exception" not in states[r] else {"region": r}, account, results[r], desired)
             for r in opts["regions"]}
    bad = ["%s: %s" % (r, p["error"]) for r, p in plans.items() if p["error"]]
    if bad:
        module.fail_json(msg="Nothing changed; fix these first: " + " ".join(bad), errors=bad,
                         regions={r: region_output(plans[r], results[r], None) for r in plans})
    account_actions = plan.plan_account(account, plans, desired)
    outcome = {}
    verified = {}
    after_states = {}
    mutating = 0
    account_error = None
    if not module.check_mode:
        writer = apply.Writer(clients, opts["retries"], propagation_wait=bool(account_actions))
        done, account_error = apply.apply_account(writer, account_actions, account)
        if account_error is None:
            def customer_recorder(region):
                return gather.customer_recorder(clients.get("config", region), gather.Counter())

            outcome = base.fan_out(
                [r for r in opts["regions"] if plans[r]["actions"]],
                lambda region: apply.apply_region(writer, region, plans[region]["actions"], account, customer_recorder),
                opts["concurrency"],
            )
            changed_regions = [r for r, o in outcome.items() if o.get("done")]
            if changed_regions:
                after_states = gather_all(clients, dict(opts, regions=changed_regions), account)
                verified = verdict.evaluate_all(account, after_states, opts)
        mutating = writer.calls
    regions = {
        r: region_output(plans[r], results[r], outcome.get(r), verified.get(r), after_states.get(r), module.check_mode)
        for r in opts["regions"]
    }
    changed = bool(account_actions) and (module.check_mode or account_error is None) or any(o["changed"] for o in regions.values())
    result = {
        "changed": changed,
        "account_id": account["account_id"],
        "account": {k: account.get(k) for k in ("account_id", "partition", "caller_arn", "service_linked_role", "aggregator", "warnings")},
        "verdict_summary": verdict.summarize({r: o["verdict"] for r, o in regions.items()}),
        "account_actions": [a["action"] for a in account_actions],
        "regions": regions,
        "summary": summary(regions),
        "api_calls": {"mutating": mutating},
    }
    if module._diff:
        result["diff"] = {
            "before": {r: plans[r]["before"] for r in regions if regions[r]["changed"]},
            "after": {r: (regions[r]["after"]) for r in regions if regions[r]["changed"]},
        }
    for warning in account.get("warnings") or []:
        module.warn(warning)
    for r, o in regions.items():
        for warning in o["warnings"]:
            module.warn("%s: %s" % (r, warning))
    failed = [r for r, o in regions.items() if o.get("failed")]
    unavailable = [r for r, o in regions.items() if o["status"] == c.NOT_AVAILABLE]
    if account_error:
        module.fail_json(msg="Could not create the AWS Config service-linked role (%s: %s); no Region was changed."
                         % (account_error["aws_code"], account_error["message"]), **result)
    if failed:
        module.fail_json(msg="Remediation failed in %s (see regions.<region>.failed; done and not attempted steps are listed)."
                         % ", ".join(failed), **result)
    if unavailable and module.params["fail_on_unavailable"]:
        module.fail_json(msg="Could not evaluate %s (see regions.<region>.reasons); the other Regions were handled. "
                         "Set fail_on_unavailable=false to report these without failing." % ", ".join(unavailable), **result)
    module.exit_json(**result)


def action_view(act, status=None):
    out = {"action": act["action"], "why": act.get("why"), "params": act["params"]}
    if status:
        out["result"] = status
    return out


def region_output(pl, res, outcome=None, verified=None, after_state=None, check_mode=False):
    actions = [action_view(a) for a in pl["actions"]]
    out = {
        "changed": bool(pl["actions"]) and (check_mode or bool(outcome and outcome.get("done"))),
        "skipped": pl["skipped"],
        "actions": actions,
        "before": pl["before"],
        "after": pl["after"],
        "status_before": res["status"],
        "reasons_before": res["reasons"],
        "predicted_status": pl["predicted_status"],
        "predicted_reasons": pl["predicted_reasons"],
        "status": pl["predicted_status"] if check_mode or not pl["actions"] else None,
        "reasons": pl["predicted_reasons"],
        "verified": False,
        "warnings": res.get("warnings", []) + pl["warnings"],
    }
    if outcome:
        done = outcome.get("done") or []
        out["actions"] = ([action_view(a, "done") for a in done]
                          + ([action_view(outcome["failed"], "failed")] if outcome.get("failed") else [])
                          + [action_view(a, "not_attempted") for a in outcome.get("not_attempted") or []])
        out["failed"] = outcome.get("failed") and outcome["failed"]["error"]
        out["notes"] = outcome.get("notes") or []
        if outcome.get("exception") is not None:
            out["failed"] = {"code": c.NA_API_ERROR, "message": str(outcome["exception"])}
    # The Region's state after the run, in config1_facts' shape: read back where something changed,
    # else the state read at the start (in check mode: the current state, not the prediction).
    out["verdict"] = verified or res
    if verified:
        out["status"] = verified["status"]
        out["reasons"] = verified["reasons"]
        out["missing_resource_types"] = verified["missing_resource_types"]
        out["verified"] = True
        out["after"] = plan.snapshot(after_state)
    if out["status"] is None:
        out["status"] = res["status"]
        out["reasons"] = res["reasons"]
    return out


def summary(regions):
    s = {"changed": 0, "unchanged": 0, "skipped": 0, "failed": 0, "passed": 0, "not_passed": 0}
    for o in regions.values():
        if o.get("failed"):
            s["failed"] += 1
        elif o["skipped"]:
            s["skipped"] += 1
        elif o["changed"]:
            s["changed"] += 1
        else:
            s["unchanged"] += 1
        s["passed" if o["status"] == c.PASSED else "not_passed"] += 1
    return s
