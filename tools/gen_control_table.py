"""Generate plugins/module_utils/control_table.py from data/control_resource_types.json.

AnsiballZ ships only Python to the target, so the control -> resource type table that the
modules need at run time lives in a generated Python module. Edit the JSON (copied from AWS's
table, source named inside it), then run ``make generate`` (or this script). ``--check`` exits 1
when the generated file is out of date (used by the test suite).
"""
import argparse
import json
import os
import pprint
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "data", "control_resource_types.json")
DST = os.path.join(ROOT, "plugins", "module_utils", "control_table.py")

# The AWS page spells some types differently from the AWS Config API (see known_issues in the
# JSON). The API spelling is what a recorder holds, so the table is normalised to it here.
API_SPELLING = {"AWS::WorkSpaces::WorkSpace": "AWS::WorkSpaces::Workspace"}


def _chunks(text, size):
    words, out, line = text.split(" "), [], ""
    for w in words:
        if line and len(line) + len(w) + 1 > size:
            out.append(line + " ")
            line = w
        else:
            line = (line + " " + w) if line else w
    out.append(line)
    return out


def render(data):
    controls = {}
    for control_id, types in sorted(data["controls"].items()):
        controls[control_id] = tuple(sorted({API_SPELLING.get(t, t) for t in types}))
    lines = [
        "# -*- coding: utf-8 -*-",
        "# GENERATED FILE - do not edit. Source: data/control_resource_types.json,",
        "# regenerate with: python tools/gen_control_table.py",
        "# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)",
        "",
        "from __future__ import absolute_import, division, print_function",
        "",
        "__metaclass__ = type",
        "",
        "SOURCE = %r" % data["source"],
        "SOURCE_SECTION = (",
    ] + ["    %r" % chunk for chunk in _chunks(data["source_section"], 90)] + [
        ")",
        "API_SPELLING = %s" % pprint.pformat(API_SPELLING, width=100),
        "",
        "# Security Hub control ID -> AWS Config resource types it needs recorded (sorted tuples).",
        "CONTROLS = {",
    ] + ["    %r: %r," % (k, v) for k, v in controls.items()] + [
        "}",
        "",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if the generated file is stale")
    args = parser.parse_args(argv)
    with open(SRC) as f:
        text = render(json.load(f))
    if args.check:
        with open(DST) as f:
            if f.read() != text:
                sys.stderr.write("%s is out of date: run python tools/gen_control_table.py\n" % DST)
                return 1
        return 0
    with open(DST, "w") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
