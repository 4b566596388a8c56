# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fleet reports: pure functions from the per-host results (the role's ``config1_result`` facts)
to report.json (a dict, schema in docs/report.schema.json), report.md and junit.xml.

Nothing here calls AWS or touches files; plugins/modules/config1_report.py writes the files.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import xml.etree.ElementTree as ET

SCHEMA_VERSION = 1

PASSED = "PASSED"
FAILED = "FAILED"
NOT_AVAILABLE = "NOT_AVAILABLE"
ERROR = "ERROR"
STATUSES = (PASSED, FAILED, NOT_AVAILABLE, ERROR)

# Worst first: errors, Regions that could not be evaluated, failures we can fix, failures left
# alone on purpose, then what passes (changed before unchanged).
_RANK = {ERROR: 0, NOT_AVAILABLE: 1, FAILED: 2}


def _text(value):
    return "" if value is None else str(value)


def _reasons(items):
    out = []
    for r in items or ():
        if isinstance(r, dict):
            out.append({"code": _text(r.get("code")), "description": _text(r.get("description"))})
        elif r:
            out.append({"code": _text(r), "description": ""})
    return out


def delivery_view(status, channel=None):
    """Short view of DescribeDeliveryChannelStatus: last status (and error) of history and snapshot
    delivery; None parts when unknown."""
    status = status or {}

    def part(key):
        info = status.get(key)
        if not isinstance(info, dict) or not info:
            return None
        out = {"last_status": info.get("lastStatus")}
        if info.get("lastErrorCode") or info.get("lastErrorMessage"):
            out["error_code"] = info.get("lastErrorCode")
            out["error_message"] = info.get("lastErrorMessage")
        for src, dst in (("lastAttemptTime", "last_attempt"), ("lastSuccessfulTime", "last_success")):
            if info.get(src):
                out[dst] = _text(info.get(src))
        return out

    channel = channel or {}
    return {
        "channel": channel.get("name"),
        "bucket": channel.get("s3_bucket") or channel.get("s3BucketName"),
        "prefix": channel.get("s3_key_prefix") or channel.get("s3KeyPrefix"),
        "history": part("configHistoryDeliveryInfo"),
        "snapshot": part("configSnapshotDeliveryInfo"),
    }


def finding_view(finding):
    if not isinstance(finding, dict) or not finding:
        return None
    return {
        "compliance_status": finding.get("compliance_status"),
        "workflow_status": finding.get("workflow_status"),
        "agrees": finding.get("agrees"),
        "updated_at": _text(finding.get("updated_at")) or None,
    }


def recorder_view(rec):
    if not isinstance(rec, dict) or not rec:
        return None
    return {
        "name": rec.get("name"),
        "managed_by": rec.get("managed_by"),
        "recording": rec.get("recording"),
        "role_arn": rec.get("role_arn"),
        "uses_service_linked_role": rec.get("uses_service_linked_role"),
    }


def change_view(action):
    if isinstance(action, dict):
        out = {"action": _text(action.get("action")), "why": action.get("why")}
        if action.get("result"):
            out["result"] = action["result"]
        return out
    return {"action": _text(action), "why": None}


def _left_alone(skipped, status):
    """Why a Region was deliberately not changed (Control Tower, Security Hub's recorder), when
    it does not pass; None otherwise. 'cannot be evaluated' is not deliberate."""
    if not skipped or status == PASSED:
        return None
    if str(skipped).startswith("cannot be evaluated"):
        return None
    return str(skipped)


def host_entries(host, result):
    """(account dict, [entry dicts]) for one host's config1_result (None when the host has none)."""
    if not isinstance(result, dict) or not result:
        account = {
            "host": host, "account_id": "", "account_name": host, "status": "failed",
            "error": "No result: the role did not run for this host (see the play output).",
            "failed_step": None, "regions": [], "account_actions": [], "warnings": [],
        }
        entry = _entry(account, "-", {"status": ERROR, "reasons": [{"code": "SECOPS_NOT_EVALUATED", "description": account["error"]}]})
        return account, [entry]
    regions = result.get("regions") or {}
    requested = list(result.get("regions_requested") or [])
    names = requested + [r for r in regions if r not in requested]
    account = {
        "host": host,
        "account_id": _text(result.get("account_id")),
        "account_name": _text(result.get("account_name")) or host,
        "status": "failed" if result.get("status") == "failed" else "ok",
        "error": result.get("error"),
        "failed_step": result.get("failed_step"),
        "regions": names,
        "account_actions": list(result.get("account_actions") or []),
        "warnings": [_text(w) for w in result.get("warnings") or []],
    }
    entries = []
    for region in names:
        data = regions.get(region)
        if data is None:
            data = {"status": ERROR, "reasons": [{"code": "SECOPS_NOT_EVALUATED",
                                                  "description": account["error"] or "not evaluated"}]}
        entries.append(_entry(account, region, data))
    if not names:
        entries.append(_entry(account, "-", {"status": ERROR, "reasons": [
            {"code": "SECOPS_NOT_EVALUATED", "description": account["error"] or "no Regions"}]}))
    return account, entries


def _entry(account, region, data):
    status = data.get("status") if data.get("status") in STATUSES else ERROR
    changes = [change_view(a) for a in data.get("changes") or []]
    return {
        "host": account["host"],
        "account_id": account["account_id"],
        "account_name": account["account_name"],
        "region": region,
        "status": status,
        "reasons": _reasons(data.get("reasons")),
        "missing_resource_types": list(data.get("missing_resource_types") or []),
        "status_before": data.get("status_before"),
        "predicted_status": data.get("predicted_status"),
        "changed": bool(data.get("changed")) and bool(changes),
        "applied": bool(data.get("applied")),
        "changes": changes,
        "left_alone": _left_alone(data.get("skipped"), status),
        "error": account["error"] if account["status"] == "failed" else None,
        "region_failure": _failure_text(data.get("failed")),
        "recorder": recorder_view(data.get("recorder")),
        "delivery": delivery_view(data.get("delivery_status"), data.get("delivery_channel")),
        "finding": finding_view(data.get("finding")),
        "warnings": [_text(w) for w in data.get("warnings") or []],
    }


def _failure_text(failed):
    if not failed:
        return None
    if isinstance(failed, dict):
        return "%s: %s" % (failed.get("aws_code") or failed.get("code") or "error", failed.get("message") or "")
    return _text(failed)


def sort_key(entry):
    if entry["error"] or entry["status"] == ERROR:
        rank = 0
    elif entry["status"] == NOT_AVAILABLE:
        rank = 1
    elif entry["status"] == FAILED and not entry["left_alone"]:
        rank = 2
    elif entry["status"] == FAILED:
        rank = 3
    elif entry["changed"]:
        rank = 4
    else:
        rank = 5
    return (rank, entry["account_name"].lower(), entry["account_id"], entry["region"])


def summarize(accounts, entries):
    s = {
        "accounts": len(accounts),
        "account_errors": sum(1 for a in accounts if a["status"] == "failed"),
        "regions": len(entries),
        "passed": 0,
        "failed": 0,
        "not_available": 0,
        "errors": 0,
        "left_alone": 0,
        "changed": 0,
        "planned": 0,
        "unchanged": 0,
    }
    for e in entries:
        key = {PASSED: "passed", FAILED: "failed", NOT_AVAILABLE: "not_available"}.get(e["status"], "errors")
        s[key] += 1
        if e["status"] == FAILED and e["left_alone"]:
            s["left_alone"] += 1
        if e["changed"] and e["applied"]:
            s["changed"] += 1
        elif e["changed"]:
            s["planned"] += 1
        else:
            s["unchanged"] += 1
    s["compliant"] = s["account_errors"] == 0 and s["failed"] == s["left_alone"] and s["not_available"] == 0 and s["errors"] == 0
    s["failing"] = sorted({"%s/%s" % (e["account_id"] or e["host"], e["region"]) for e in entries
                           if e["status"] != PASSED and not e["left_alone"]})
    return s


def build_report(results, generated_at, title="Config.1 report", run=None):
    """report.json as a dict. ``results``: {host: config1_result or None}."""
    accounts, entries = [], []
    for host in sorted(results or {}):
        account, host_rows = host_entries(host, (results or {})[host])
        accounts.append(account)
        entries.extend(host_rows)
    entries.sort(key=sort_key)
    accounts.sort(key=lambda a: (a["status"] != "failed", a["account_name"].lower(), a["account_id"]))
    first = next((r for r in (results or {}).values() if isinstance(r, dict) and r), {})
    run_info = {"mode": first.get("mode"), "check_mode": first.get("check_mode")}
    run_info.update(run or {})
    return {
        "schema_version": SCHEMA_VERSION,
        "title": title,
        "generated_at": generated_at,
        "run": run_info,
        "summary": summarize(accounts, entries),
        "accounts": accounts,
        "entries": entries,
    }


def render_json(report):
    return json.dumps(report, indent=2, sort_keys=True, default=str) + "\n"


# --- Markdown ---------------------------------------------------------------------------------
_ICON = {PASSED: "PASSED", FAILED: "FAILED", NOT_AVAILABLE: "NOT AVAILABLE", ERROR: "ERROR"}


def _md(text):
    return _text(text).replace("|", "\\|").replace("\n", " ").strip()


def _delivery_text(d):
    parts = []
    for key in ("history", "snapshot"):
        info = d.get(key)
        if info:
            s = _text(info.get("last_status"))
            if info.get("error_code"):
                s += " (%s)" % info["error_code"]
            parts.append("%s %s" % (key, s))
    return ", ".join(parts) or "-"


def _finding_text(f):
    if not f:
        return "-"
    out = "%s / %s" % (f.get("compliance_status") or "?", f.get("workflow_status") or "?")
    if f.get("agrees") is False:
        out += " (not yet re-evaluated)"
    return out


def status_text(entry):
    if entry["error"] and entry["status"] in (PASSED, FAILED):
        return "ERROR (%s)" % _ICON[entry["status"]]
    if entry["status"] == FAILED and entry["left_alone"]:
        return "FAILED, left alone"
    return _ICON.get(entry["status"], entry["status"])


def changes_text(entry):
    if not entry["changes"]:
        return "-"
    verb = "" if entry["applied"] else "would: "
    return verb + "; ".join(c["action"] + (" (%s)" % c["result"] if c.get("result") and c["result"] != "done" else "")
                            for c in entry["changes"])


def render_markdown(report):
    s = report["summary"]
    run = report.get("run") or {}
    mode = run.get("mode") or "?"
    if run.get("check_mode") or mode == "audit":
        mode += " (check mode: nothing changed; changes are proposals)"
    lines = [
        "# %s" % report["title"],
        "",
        "Generated %s. Mode: %s." % (report["generated_at"], mode),
        "",
        "**%d account(s), %d account-Region(s): %d PASSED, %d FAILED (%d left alone on purpose), %d not available, "
        "%d error(s); %d account(s) failed.** Changes: %d made, %d proposed." % (
            s["accounts"], s["regions"], s["passed"], s["failed"], s["left_alone"], s["not_available"], s["errors"],
            s["account_errors"], s["changed"], s["planned"]),
        "",
        "| Status | Account | Region | Reasons | Missing resource types | Changes | Delivery | Finding (compliance / workflow) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for e in report["entries"]:
        reasons = ", ".join(r["code"] for r in e["reasons"])
        if e["left_alone"]:
            reasons = (reasons + "; " if reasons else "") + "left alone: " + e["left_alone"]
        if e["error"]:
            reasons = "account error: %s%s" % (e["error"], ("; " + reasons) if reasons else "")
        if e["region_failure"]:
            reasons += "; fix failed: " + e["region_failure"]
        missing = ", ".join(e["missing_resource_types"][:8])
        if len(e["missing_resource_types"]) > 8:
            missing += ", ... (%d)" % len(e["missing_resource_types"])
        lines.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            status_text(e), _md("%s (%s)" % (e["account_name"], e["account_id"]) if e["account_id"] else e["account_name"]),
            _md(e["region"]), _md(reasons) or "-", _md(missing) or "-", _md(changes_text(e)),
            _md(_delivery_text(e["delivery"])), _md(_finding_text(e["finding"]))))
    failed = [a for a in report["accounts"] if a["status"] == "failed"]
    if failed:
        lines += ["", "## Accounts that failed", ""]
        for a in failed:
            lines.append("- **%s** (%s, host %s) at step %s: %s" % (
                _md(a["account_name"]), a["account_id"] or "?", a["host"], _md(a["failed_step"] or "?"), _md(a["error"])))
    warnings = [(a, w) for a in report["accounts"] for w in a["warnings"]]
    if warnings:
        lines += ["", "## Warnings", ""]
        for a, w in warnings:
            lines.append("- %s (%s): %s" % (_md(a["account_name"]), a["account_id"], _md(w)))
    return "\n".join(lines) + "\n"


# --- JUnit ------------------------------------------------------------------------------------
def _reason_lines(entry):
    return "\n".join("%s: %s" % (r["code"], r["description"]) if r["description"] else r["code"] for r in entry["reasons"])


def render_junit(report):
    """JUnit XML: one testsuite per account, one testcase per account-Region. FAILED is a
    failure (text = reasons), ERROR / NOT_AVAILABLE / account errors are errors, FAILED but left
    alone on purpose is skipped (message says why)."""
    root = ET.Element("testsuites", {"name": report["title"]})
    totals = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    suites = {}
    order = []
    for e in sorted(report["entries"], key=lambda x: (x["account_name"].lower(), x["account_id"], x["region"])):
        key = (e["account_id"], e["account_name"], e["host"])
        if key not in suites:
            suites[key] = []
            order.append(key)
        suites[key].append(e)
    for key in order:
        account_id, name, host = key
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        suite = ET.SubElement(root, "testsuite", {"name": "%s (%s)" % (name, account_id) if account_id else name,
                                                  "timestamp": _text(report["generated_at"])[:19]})
        for e in suites[key]:
            counts["tests"] += 1
            classname = "config1.%s" % (account_id or host)
            case = ET.SubElement(suite, "testcase", {"classname": classname, "name": "Config.1 %s" % e["region"], "time": "0"})
            text = _reason_lines(e)
            if e["error"] or e["status"] in (ERROR, NOT_AVAILABLE):
                counts["errors"] += 1
                msg = e["error"] or text.split("\n", maxsplit=1)[0] or e["status"]
                el = ET.SubElement(case, "error", {"message": msg[:500], "type": e["status"]})
                el.text = "\n".join(x for x in (e["error"], text, e["region_failure"]) if x)
            elif e["status"] == FAILED and e["left_alone"]:
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", {"message": ("left alone on purpose: %s | Config.1 FAILED: %s" % (
                    e["left_alone"], text.replace("\n", "; ")))[:1000]})
            elif e["status"] == FAILED:
                counts["failures"] += 1
                el = ET.SubElement(case, "failure", {"message": ", ".join(r["code"] for r in e["reasons"])[:500],
                                                     "type": "Config.1"})
                el.text = text + ("\nfix failed: " + e["region_failure"] if e["region_failure"] else "")
            out = []
            if e["changes"]:
                out.append(("changes made: " if e["applied"] else "changes proposed: ")
                           + "; ".join(c["action"] for c in e["changes"]))
            out.append("delivery: " + _delivery_text(e["delivery"]))
            out.append("finding: " + _finding_text(e["finding"]))
            ET.SubElement(case, "system-out").text = "\n".join(out)
        for k, v in counts.items():
            suite.set(k, str(v))
            totals[k] += v
    for k, v in totals.items():
        root.set(k, str(v))
    data = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + data + "\n"


RENDERERS = {
    "json": ("report.json", render_json),
    "markdown": ("report.md", render_markdown),
    "junit": ("junit.xml", render_junit),
}


def render_all(report, formats=("json", "markdown", "junit")):
    """{file name: text} for the formats asked."""
    return {RENDERERS[f][0]: RENDERERS[f][1](report) for f in formats}


def short_summary(report):
    """The few lines printed at the end of the play and sent to set_stats."""
    s = report["summary"]
    return {
        "accounts": s["accounts"],
        "account_errors": s["account_errors"],
        "regions": s["regions"],
        "passed": s["passed"],
        "failed": s["failed"],
        "left_alone": s["left_alone"],
        "not_available": s["not_available"],
        "errors": s["errors"],
        "changed": s["changed"],
        "planned": s["planned"],
        "compliant": s["compliant"],
        "failing": s["failing"][:50],
        "mode": (report.get("run") or {}).get("mode"),
        "check_mode": (report.get("run") or {}).get("check_mode"),
    }
