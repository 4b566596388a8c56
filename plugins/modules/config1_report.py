#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: secops.config1 contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: config1_report
version_added: 1.0.0
short_description: Write the fleet's Config.1 report (report.json, report.md, junit.xml)
description:
  - Takes the per-account results of the role M(secops.config1.remediate) (the host fact C(config1_result) of
    every account host, gathered from C(hostvars)) and writes a report directory.
  - C(report.json) lists every account and Region with its verdict, reasons, missing resource types, the
    changes made or proposed, the delivery channel's last delivery status and the live Security Hub finding.
    Its JSON Schema is C(docs/report.schema.json).
  - C(report.md) is a table a person reads, worst first (account errors, Regions that could not be evaluated,
    failures, failures left alone on purpose such as Control Tower recorders, then what passes).
  - C(junit.xml) has one test suite per account and one test case per account-Region; a FAILED Region is a
    failure whose text is the reasons, an account error or a Region that could not be evaluated is an error,
    and a failing Region left alone on purpose is skipped with the reason.
  - Runs on the controller (C(localhost)); makes no AWS call. C(changed) tells whether the report's content
    differs from the files already in O(dest), ignoring the time stamp.
author:
  - secops.config1 developers (@secops)
attributes:
  check_mode:
    support: full
    description:
      - In check mode nothing is written; the return values say what would be. The collection's playbooks run
        this module with C(check_mode=false) so that an audit (C(--check)) still writes its report.
  diff_mode:
    support: none
    description: The report files are outputs, not managed state.
  platform:
    platforms: posix
    support: full
    description: Runs on the controller.
options:
  results:
    description:
      - The per-host results, keyed by inventory host name; each value is that host's C(config1_result) fact,
        or null when the host has none (it failed before the role could record anything).
    type: dict
    required: true
  dest:
    description: Directory to write the files to (created when missing).
    type: path
    required: true
  formats:
    description: Which files to write.
    type: list
    elements: str
    choices: [json, markdown, junit]
    default: [json, markdown, junit]
  title:
    description: Title of the report.
    type: str
    default: Config.1 report
  run:
    description: Extra facts about the run to record in C(report.json) under C(run) (for example the playbook or AWX job ID).
    type: dict
    default: {}
"""

EXAMPLES = r"""
- name: Write the report of the accounts this play covered
  secops.config1.config1_report:
    results: "{{ dict(config1_report_hosts | zip(config1_report_hosts | map('extract', hostvars) | map(attribute='config1_result', default=none))) }}"
    dest: "{{ playbook_dir }}/reports"
  check_mode: false
  delegate_to: localhost
  run_once: true
  register: config1_report

- name: Print the summary
  ansible.builtin.debug:
    var: config1_report.summary
"""

RETURN = r"""
changed:
  description: Whether the report's content differs from the files already in O(dest) (time stamps ignored).
  type: bool
  returned: always
dest:
  description: The absolute report directory.
  type: str
  returned: always
  sample: /home/me/config1/reports
files:
  description: Absolute path of each file written (or that would be written in check mode), by format.
  type: dict
  returned: always
  sample: {"json": "/home/me/config1/reports/report.json", "markdown": "/home/me/config1/reports/report.md", "junit": "/home/me/config1/reports/junit.xml"}
summary:
  description: Counts over all account-Regions, the compliance flag and the failing account/Region pairs (at most 50).
  type: dict
  returned: always
  contains:
    accounts:
      description: Accounts reported.
      type: int
    account_errors:
      description: Accounts whose run failed (credentials, module failure, Regions that could not be evaluated).
      type: int
    regions:
      description: Account-Regions reported.
      type: int
    passed:
      description: Account-Regions whose Config.1 verdict is PASSED.
      type: int
    failed:
      description: Account-Regions whose verdict is FAILED (including those left alone).
      type: int
    left_alone:
      description: FAILED account-Regions left alone on purpose (Control Tower recorders).
      type: int
    not_available:
      description: Account-Regions that could not be evaluated.
      type: int
    errors:
      description: Account-Regions not evaluated because the account failed first.
      type: int
    changed:
      description: Account-Regions changed by this run.
      type: int
    planned:
      description: Account-Regions with changes proposed (check mode or audit mode).
      type: int
    compliant:
      description: True when no account failed and every account-Region passes or is left alone on purpose.
      type: bool
    failing:
      description: C(account/region) pairs that neither pass nor are left alone on purpose.
      type: list
      elements: str
    mode:
      description: The role's mode (C(remediate) or C(audit)).
      type: str
    check_mode:
      description: Whether the run was in check mode.
      type: bool
  sample: {"accounts": 6, "account_errors": 0, "regions": 12, "passed": 10, "failed": 2, "left_alone": 2, "not_available": 0,
           "errors": 0, "changed": 8, "planned": 0, "compliant": true, "failing": [], "mode": "remediate", "check_mode": false}
"""

import datetime
import json
import os

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes
from ansible_collections.secops.config1.plugins.module_utils import report as rpt

FORMAT_FILES = {"json": "report.json", "markdown": "report.md", "junit": "junit.xml"}


def _read(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8")
    except (IOError, OSError, UnicodeDecodeError):
        return None


def content_changed(report, formats, dest):
    """Compare with the files in dest, rendered with the old report's time stamp."""
    old = _read(os.path.join(dest, FORMAT_FILES["json"]))
    old_time = None
    if old:
        try:
            old_time = json.loads(old).get("generated_at")
        except ValueError:
            old_time = None
    same_time = dict(report, generated_at=old_time or report["generated_at"])
    for name, text in rpt.render_all(same_time, formats).items():
        if _read(os.path.join(dest, name)) != text:
            return True
    return False


def main():
    module = AnsibleModule(
        argument_spec=dict(
            results=dict(type="dict", required=True),
            dest=dict(type="path", required=True),
            formats=dict(type="list", elements="str", choices=["json", "markdown", "junit"],
                         default=["json", "markdown", "junit"]),
            title=dict(type="str", default="Config.1 report"),
            run=dict(type="dict", default={}),
        ),
        supports_check_mode=True,
    )
    dest = os.path.abspath(module.params["dest"])
    formats = list(dict.fromkeys(module.params["formats"]))
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    report = rpt.build_report(module.params["results"], now, module.params["title"], module.params["run"])
    files = {f: os.path.join(dest, FORMAT_FILES[f]) for f in formats}
    changed = content_changed(report, formats, dest)
    if not module.check_mode:
        try:
            if not os.path.isdir(dest):
                os.makedirs(dest)
            for name, text in rpt.render_all(report, formats).items():
                tmp = os.path.join(dest, "." + name + ".tmp")
                with open(tmp, "wb") as f:
                    f.write(to_bytes(text))
                os.rename(tmp, os.path.join(dest, name))
        except (IOError, OSError) as e:
            module.fail_json(msg="Could not write the report to %s: %s" % (dest, e))
    module.exit_json(changed=changed, dest=dest, files=files, summary=rpt.short_summary(report))


if __name__ == "__main__":
    main()
