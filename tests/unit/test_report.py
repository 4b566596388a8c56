# -*- coding: utf-8 -*-
"""Unit tests of the pure report functions (plugins/module_utils/report.py)."""

from __future__ import absolute_import, division, print_function

import json
import os
import xml.etree.ElementTree as ET

import pytest

from ansible_collections.secops.config1.plugins.module_utils import report as rpt

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NOW = "2026-01-31T12:00:00Z"


def region(status, reasons=(), **kw):
    out = {
        "status": status,
        "reasons": [{"code": c, "description": "text of " + c} for c in reasons],
        "missing_resource_types": [],
        "status_before": status,
        "predicted_status": status,
        "changed": False,
        "applied": False,
        "changes": [],
        "skipped": None,
        "failed": None,
        "recorder": {"name": "default", "managed_by": "customer", "recording": True, "role_arn": "arn:x",
                     "uses_service_linked_role": True},
        "delivery_channel": {"name": "default", "s3_bucket": "b", "s3_key_prefix": "p"},
        "delivery_status": {"configHistoryDeliveryInfo": {"lastStatus": "Success"},
                            "configSnapshotDeliveryInfo": {"lastStatus": "Failure", "lastErrorCode": "AccessDenied",
                                                           "lastErrorMessage": "no"}},
        "finding": {"compliance_status": status, "workflow_status": "NEW", "agrees": True},
        "warnings": [],
    }
    out.update(kw)
    return out


def result(account_id, name, regions, status="ok", error=None, mode="remediate", check_mode=True):
    return {"host": "acct_%s" % account_id, "account_id": account_id, "account_name": name, "mode": mode,
            "check_mode": check_mode, "status": status, "error": error, "failed_step": "x" if error else None,
            "regions_requested": list(regions), "regions": regions, "account_actions": [], "warnings": []}


@pytest.fixture
def results():
    return {
        "acct_1": result("111111111111", "good", {"us-east-1": region("PASSED")}),
        "acct_2": result("222222222222", "bad", {
            "us-east-1": region("FAILED", ["CONFIG_RECORDER_MISSING_REQUIRED_RESOURCE_TYPES"],
                                missing_resource_types=["AWS::IAM::User"], predicted_status="PASSED", changed=True,
                                changes=[{"action": "config:PutConfigurationRecorder", "why": "types", "params": {}}]),
            "eu-west-1": region("NOT_AVAILABLE", ["SECOPS_ACCESS_DENIED"]),
        }),
        "acct_3": result("333333333333", "ct", {"us-east-1": region(
            "FAILED", ["CONFIG_RECORDER_CUSTOM_ROLE"],
            skipped="recorder aws-controltower-X belongs to AWS Control Tower; left untouched")}),
        "acct_4": dict(result("444444444444", "locked", {}, status="failed", error="Could not assume role"),
                       regions_requested=["us-east-1", "eu-west-1"]),
        "acct_5": None,
    }


def test_build_report_counts_and_order(results):
    report = rpt.build_report(results, NOW)
    s = report["summary"]
    assert s["accounts"] == 5 and s["account_errors"] == 2
    assert s["regions"] == 1 + 2 + 1 + 2 + 1
    assert (s["passed"], s["failed"], s["not_available"], s["errors"], s["left_alone"]) == (1, 2, 1, 3, 1)
    assert s["planned"] == 1 and s["changed"] == 0
    assert s["compliant"] is False
    assert "333333333333/us-east-1" not in s["failing"] and "222222222222/us-east-1" in s["failing"]
    statuses = [(e["account_name"], e["status"]) for e in report["entries"]]
    # worst first: account errors, not available, fixable failures, left alone, passes
    assert [x[1] for x in statuses[:3]] == ["ERROR"] * 3
    assert statuses[3] == ("bad", "NOT_AVAILABLE")
    assert statuses[4] == ("bad", "FAILED")
    assert statuses[5] == ("ct", "FAILED")
    assert statuses[-1] == ("good", "PASSED")
    ct = report["entries"][5]
    assert "Control Tower" in ct["left_alone"]
    bad = report["entries"][4]
    assert bad["changes"] == [{"action": "config:PutConfigurationRecorder", "why": "types"}]
    assert bad["delivery"]["snapshot"] == {"last_status": "Failure", "error_code": "AccessDenied", "error_message": "no"}


def test_report_matches_schema(results):
    jsonschema = pytest.importorskip("jsonschema")
    with open(os.path.join(ROOT, "docs", "report.schema.json")) as f:
        schema = json.load(f)
    report = json.loads(rpt.render_json(rpt.build_report(results, NOW)))
    jsonschema.validate(report, schema)
    jsonschema.validate(json.loads(rpt.render_json(rpt.build_report({}, NOW))), schema)


def test_not_evaluable_skip_is_not_left_alone():
    r = {"h": result("111111111111", "a", {"us-east-1": region("NOT_AVAILABLE", ["SECOPS_THROTTLED"],
                                                               skipped="cannot be evaluated: throttled")})}
    e = rpt.build_report(r, NOW)["entries"][0]
    assert e["left_alone"] is None


def test_markdown_table(results):
    md = rpt.render_markdown(rpt.build_report(results, NOW))
    table = [line for line in md.splitlines() if line.startswith("| ") and "---" not in line]
    assert table[0].startswith("| Status |")
    assert table[1].startswith("| ERROR")
    assert table[-1].startswith("| PASSED | good (111111111111)")
    assert any(line.startswith("| FAILED, left alone | ct") for line in table)
    assert "would: config:PutConfigurationRecorder" in md
    assert "## Accounts that failed" in md and "Could not assume role" in md
    assert "history Success, snapshot Failure (AccessDenied)" in md
    assert "check mode" in md


def test_markdown_escapes_pipes():
    r = {"h": result("111111111111", "a|b", {"us-east-1": region("PASSED")})}
    md = rpt.render_markdown(rpt.build_report(r, NOW))
    assert "a\\|b" in md


def test_junit(results):
    xml = rpt.render_junit(rpt.build_report(results, NOW))
    root = ET.fromstring(xml.split("\n", 1)[1])
    assert root.tag == "testsuites"
    assert (root.get("tests"), root.get("failures"), root.get("errors"), root.get("skipped")) == ("7", "1", "4", "1")
    cases = {(c.get("classname"), c.get("name")): c for c in root.iter("testcase")}
    failure = cases[("config1.222222222222", "Config.1 us-east-1")].find("failure")
    assert failure.get("message") == "CONFIG_RECORDER_MISSING_REQUIRED_RESOURCE_TYPES"
    assert "text of CONFIG_RECORDER_MISSING_REQUIRED_RESOURCE_TYPES" in failure.text
    skipped = cases[("config1.333333333333", "Config.1 us-east-1")].find("skipped")
    assert "Control Tower" in skipped.get("message") and "CONFIG_RECORDER_CUSTOM_ROLE" in skipped.get("message")
    error = cases[("config1.444444444444", "Config.1 eu-west-1")].find("error")
    assert "Could not assume role" in error.get("message")
    passed = cases[("config1.111111111111", "Config.1 us-east-1")]
    assert passed.find("failure") is None and passed.find("error") is None and passed.find("skipped") is None


def test_junit_reads_back_with_junitparser(results, tmp_path):
    junitparser = pytest.importorskip("junitparser")
    path = tmp_path / "junit.xml"
    path.write_text(rpt.render_junit(rpt.build_report(results, NOW)))
    xml = junitparser.JUnitXml.fromfile(str(path))
    cases = [c for suite in xml for c in suite]
    assert len(cases) == 7
    assert sum(1 for c in cases if c.is_passed) == 1
    assert sum(1 for c in cases if c.is_skipped) == 1


def test_render_all_and_short_summary(results):
    report = rpt.build_report(results, NOW, title="T", run={"job": 7})
    files = rpt.render_all(report)
    assert set(files) == {"report.json", "report.md", "junit.xml"}
    assert json.loads(files["report.json"])["run"] == {"mode": "remediate", "check_mode": True, "job": 7}
    short = rpt.short_summary(report)
    assert short["accounts"] == 5 and short["compliant"] is False and short["check_mode"] is True
    assert rpt.render_all(report, ["markdown"]).keys() == {"report.md"}


def test_delivery_view_unknown():
    assert rpt.delivery_view(None) == {"channel": None, "bucket": None, "prefix": None, "history": None, "snapshot": None}
