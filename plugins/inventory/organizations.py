# -*- coding: utf-8 -*-

# Copyright: (c) 2026, secops.config1 developers
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: organizations
short_description: One inventory host per active account of an AWS organization
version_added: 1.0.0
description:
  - Builds one inventory host per B(ACTIVE) account of an AWS organization, for the
    C(secops.config1) playbooks. Regions are not hosts; they are listed in the host variable
    C(config1_regions) and the collection's modules fan out over them.
  - Must run with credentials of the organization's management account or of a delegated
    administrator for AWS Organizations. The policy it needs is C(docs/iam/inventory-policy.json).
  - "Uses a YAML configuration file whose name ends with C(organizations.yml) or
    C(organizations.yaml), for example C(prod.organizations.yml), containing
    C(plugin: secops.config1.organizations)."
  - "Every host gets: C(ansible_connection=local), C(ansible_python_interpreter={{ ansible_playbook_python }}),
    C(aws_account_id) (a string), C(aws_account_name), C(aws_account_email), C(aws_account_arn),
    C(aws_partition), C(config1_regions), and, when the OU tree is read, C(aws_ou_id) and C(aws_ou_path)
    (for example C(Root/Workloads/Prod))."
  - Every host except the caller's own account (found with C(sts:GetCallerIdentity)) gets
    C(config1_assume_role) set to O(assume_role_name); the caller's account uses the ambient
    credentials. C(config1_external_id) and C(config1_role_session_name) are set when
    O(external_id) and O(role_session_name) are given.
  - All hosts are in the group C(config1_accounts). With O(ou_groups=true) each host is also in a
    group per OU, and OU groups are nested like the OU tree.
  - "API calls per refresh for N accounts and O OUs: 1 C(sts:GetCallerIdentity); then either
    ceil(N/20) C(organizations:ListAccounts) calls (no OU filters and O(ou_groups=false)) or
    1 C(ListRoots) + about 2*(O+1) C(ListOrganizationalUnitsForParent)/C(ListAccountsForParent)
    calls (one more for every further page of 20), which replaces C(ListAccounts). With
    O(enabled_regions=true), 1 C(account:ListRegions) per selected account, or a single
    C(ec2:DescribeRegions) when ListRegions is unavailable. Run with C(-v) to see the counts."
author:
  - secops.config1 contributors (@secops)
requirements:
  - boto3 >= 1.38.23
  - botocore >= 1.38.23
options:
  plugin:
    description: Token that makes sure this is a configuration file for this plugin.
    required: true
    type: str
    choices: ['secops.config1.organizations']
  regions:
    description:
      - Regions to cover in every account, written to C(config1_regions).
      - Required unless O(enabled_regions=true). With both, each account gets the intersection
        of this list and its enabled Regions, in the order given here.
      - Each entry must look like a Region name, for example C(us-east-1) or C(us-gov-west-1).
    type: list
    elements: str
    default: []
  enabled_regions:
    description:
      - Ask AWS which Regions are enabled in each account with
        C(account:ListRegions(AccountId, RegionOptStatusContains=[ENABLED, ENABLED_BY_DEFAULT]))
        called from the management (or delegated administrator) account. Needs trusted access
        for AWS Account Management in the organization.
      - If C(account:ListRegions) is unavailable, the plugin warns and uses the Regions enabled
        in the calling account (C(ec2:DescribeRegions)) for every account.
    type: bool
    default: false
  include_accounts:
    description:
      - Keep only these accounts. Entries are 12-digit account IDs (quote them in YAML) or
        account names; names may use shell-style wildcards such as C(sandbox-*).
      - Include rules are combined with O(include_ous) as a union. When no include rule is given
        every active account is kept.
    type: list
    elements: raw
    default: []
  exclude_accounts:
    description:
      - Drop these accounts (12-digit IDs or names, wildcards allowed). Exclusions win over
        inclusions.
    type: list
    elements: raw
    default: []
  include_ous:
    description:
      - Keep the accounts in these OUs and in all OUs below them.
      - Entries are OU IDs (C(ou-ab12-cd34ef56)), the root ID (C(r-ab12)) or paths of OU names
        from the root such as C(Root/Workloads) (the leading C(Root/) may be left out).
      - An entry that matches no OU of the organization is an error.
    type: list
    elements: str
    default: []
  exclude_ous:
    description:
      - Drop the accounts in these OUs and in all OUs below them. Same forms as O(include_ous).
    type: list
    elements: str
    default: []
  assume_role_name:
    description:
      - Role written to C(config1_assume_role) for every account except the caller's own
        account. A role name (C(OrganizationAccountAccessRole)) or name with path.
      - Set to an empty string to write no C(config1_assume_role) at all (for example when every
        host gets C(config1_profile) through O(compose)).
      - To write a full role ARN instead, use O(compose), see the examples.
    type: str
    default: OrganizationAccountAccessRole
  external_id:
    description: External ID written to C(config1_external_id) for every account that is reached by assuming a role.
    type: str
  role_session_name:
    description: Session name written to C(config1_role_session_name) for every account that is reached by assuming a role.
    type: str
  hostname_style:
    description:
      - How hosts are named. V(id_name) gives C(acct_111111111111_prod_app), V(id) gives
        C(acct_111111111111), V(name) gives the sanitised account name C(prod_app) (falling back
        to V(id_name) with a warning when two names collide).
    type: str
    choices: ['id_name', 'id', 'name']
    default: id_name
  ou_groups:
    description:
      - Add each host to a group per OU, named O(ou_group_prefix) plus the sanitised OU path
        without C(Root/), for example C(ou_workloads_prod). The root's group is C(ou_root). A
        parent OU's group has the groups of its child OUs as children, so C(ou_workloads) also
        reaches the hosts of C(ou_workloads_prod), and C(ou_root) reaches every host.
      - Reading the OU tree costs about two API calls per OU; set V(false) in large
        organizations when neither OU groups nor OU filters are needed (C(aws_ou_path) is then
        not set).
    type: bool
    default: true
  ou_group_prefix:
    description: Prefix of the OU group names made by O(ou_groups).
    type: str
    default: ou_
extends_documentation_fragment:
  - inventory_cache
  - constructed
  - amazon.aws.boto3
  - amazon.aws.common.plugins
  - amazon.aws.region.plugins
  - amazon.aws.assume_role.plugins
notes:
  - The caller's account is taken from C(sts:GetCallerIdentity) after O(assume_role_arn), if set,
    has been assumed.
  - Accounts whose C(State) (or the older C(Status)) is not C(ACTIVE) are skipped, so suspended,
    closed and pending accounts never become hosts.
  - With O(cache) enabled, the selected accounts are cached; after changing filters refresh with
    C(--flush-cache).
  - Options that are not documented here are rejected.
seealso:
  - name: Inventory policy
    description: C(docs/iam/inventory-policy.json) in this collection.
    link: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_permissions_overview.html
"""

EXAMPLES = r"""
# prod.organizations.yml - every active account, three Regions, OU groups (the default)
plugin: secops.config1.organizations
regions:
  - us-east-1
  - eu-west-1
  - ap-southeast-2

---
# all-enabled.organizations.yml - each account's enabled Regions, workloads only, no sandboxes
plugin: secops.config1.organizations
enabled_regions: true
include_ous:
  - Root/Workloads
exclude_accounts:
  - "sandbox-*"
  - "222222222222"
assume_role_name: Config1Remediation
external_id: "{{ lookup('ansible.builtin.env', 'CONFIG1_EXTERNAL_ID') }}"
role_session_name: config1

---
# keyed groups and compose, from the management account's SSO profile
plugin: secops.config1.organizations
profile: org-management
regions: [us-east-1]
ou_groups: false
include_ous: [ou-ab12-cd34ef56]
keyed_groups:
  # ou_Root_Workloads_Prod, like ou_groups but without nesting
  - key: aws_ou_path
    prefix: ou
compose:
  # a full role ARN instead of a role name
  config1_assume_role: "'arn:' ~ aws_partition ~ ':iam::' ~ aws_account_id ~ ':role/Config1Remediation'"
groups:
  production: aws_account_name is match('prod-')
"""

import fnmatch
import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

try:
    import botocore

    HAS_BOTOCORE = True
except ImportError:
    HAS_BOTOCORE = False  # reported by the amazon.aws base class (require_aws_sdk)

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_native

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.plugin_utils.inventory import AWSInventoryBase

try:
    from ansible.template import trust_as_template

    HAS_TRUST_AS_TEMPLATE = True
except ImportError:  # ansible-core < 2.19 templates every inventory string anyway
    HAS_TRUST_AS_TEMPLATE = False

    def trust_as_template(value):
        return value


ACCOUNT_ID_RE = re.compile(r"^\d{12}$")
OU_ID_RE = re.compile(r"^ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}$")
ROOT_ID_RE = re.compile(r"^r-[0-9a-z]{4,32}$")
REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d{1,2}$")
GROUP = "config1_accounts"
LIST_REGIONS_STATUSES = ["ENABLED", "ENABLED_BY_DEFAULT"]
REGIONS_MAX_WORKERS = 8


def sanitise(name):
    """Lower-case, runs of anything but letters and digits become one underscore."""
    return re.sub(r"[^a-z0-9]+", "_", to_native(name).lower()).strip("_")


def _account_state(account):
    # Newer API responses carry State (ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED, ...);
    # Status (ACTIVE, SUSPENDED, PENDING_CLOSURE) is deprecated but may be the only one present.
    return account.get("State") or account.get("Status")


class InventoryModule(AWSInventoryBase):
    NAME = "secops.config1.organizations"
    INVENTORY_FILE_SUFFIXES = ("organizations.yml", "organizations.yaml")

    def __init__(self):
        super().__init__()
        self._config_keys = set()
        self._caller_id = None
        self._calls = Counter()
        self._calls_lock = threading.Lock()

    # ------------------------------------------------------------------ config
    def get_option(self, option, hostvars=None):
        if option == "regions":
            # amazon.aws's templating of list options passes disable_lookups, which ansible-core 2.19
            # reports as deprecated on every run; template the entries here instead.
            value = super(AWSInventoryBase, self).get_option(option, hostvars) or []
            if self.templar:
                value = [
                    self.templar.template(v) if isinstance(v, str) and self.templar.is_template(v) else v for v in value
                ]
            return value
        return super().get_option(option, hostvars)

    def _read_config_data(self, path):
        config = super()._read_config_data(path)
        self._config_keys = set(config or {})
        return config

    def _check_unknown_options(self, path):
        known = {"plugin"}
        for name, definition in (self.option_definitions or {}).items():
            known.add(name)
            known.update((definition or {}).get("aliases") or [])
        unknown = sorted(to_native(k) for k in self._config_keys - known)
        if unknown:
            raise AnsibleError(
                f"{path}: unknown option(s) {', '.join(unknown)} for {self.NAME}. "
                f"Valid options: {', '.join(sorted(k for k in known))}. "
                "See: ansible-doc -t inventory secops.config1.organizations"
            )

    @staticmethod
    def _account_rules(option, entries):
        ids, patterns = set(), []
        for entry in entries or []:
            if isinstance(entry, bool) or entry is None:
                raise AnsibleError(f"{option}: entry {entry!r} is not an account ID or account name.")
            if isinstance(entry, int):
                if not ACCOUNT_ID_RE.match(str(entry)):
                    raise AnsibleError(
                        f"{option}: {entry} was read as a number, not a 12-digit account ID. Quote account IDs "
                        "in YAML (for example '012345678901') so leading zeros are kept."
                    )
                ids.add(str(entry))
                continue
            if not isinstance(entry, str):
                raise AnsibleError(f"{option}: entry {entry!r} must be a string (account ID or account name).")
            value = entry.strip()
            if not value:
                raise AnsibleError(f"{option}: empty entry; give a 12-digit account ID or an account name.")
            if value.isdigit():
                if not ACCOUNT_ID_RE.match(value):
                    raise AnsibleError(
                        f"{option}: '{value}' is not a valid AWS account ID; account IDs are exactly 12 digits "
                        f"(it has {len(value)})."
                    )
                ids.add(value)
            else:
                patterns.append(value)
        return ids, patterns

    @staticmethod
    def _ou_rules(option, entries):
        rules = []
        for entry in entries or []:
            if not isinstance(entry, str) or not entry.strip():
                raise AnsibleError(
                    f"{option}: entry {entry!r} is not an OU; give an OU ID (ou-ab12-cd34ef56), "
                    "the root ID (r-ab12) or a path such as Root/Workloads."
                )
            value = entry.strip()
            if value.startswith("ou-"):
                if not OU_ID_RE.match(value):
                    raise AnsibleError(
                        f"{option}: '{value}' is a malformed OU ID. OU IDs look like ou-ab12-cd34ef56: 'ou-', "
                        "4-32 lowercase letters or digits (the root's ID suffix), '-', 8-32 lowercase letters or digits."
                    )
                rules.append(("id", value))
            elif value.startswith("r-") and "/" not in value:
                if not ROOT_ID_RE.match(value):
                    raise AnsibleError(
                        f"{option}: '{value}' is a malformed root ID. Root IDs look like r-ab12 ('r-' and 4-32 "
                        "lowercase letters or digits)."
                    )
                rules.append(("id", value))
            else:
                parts = [p.strip() for p in value.strip("/").split("/")]
                if any(not p for p in parts):
                    raise AnsibleError(f"{option}: '{value}' has an empty path element; write paths like Root/Workloads/Prod.")
                if parts[0] != "Root":
                    parts.insert(0, "Root")
                rules.append(("path", "/".join(parts)))
        return rules

    def _templated_option(self, name):
        value = self.get_option(name)
        if isinstance(value, str) and self.templar and self.templar.is_template(value):
            value = self.templar.template(value)
        return value

    def _settings(self, path):
        self._check_unknown_options(path)
        s = {}
        regions = self.get_option("regions") or []
        bad = [r for r in regions if not isinstance(r, str) or not REGION_RE.match(r)]
        if bad:
            raise AnsibleError(
                f"regions: entries that do not look like AWS Region names: {', '.join(repr(b) for b in bad)}. "
                "Use Region codes such as us-east-1, eu-central-2 or us-gov-west-1."
            )
        s["regions"] = list(dict.fromkeys(regions))
        s["enabled_regions"] = bool(self.get_option("enabled_regions"))
        if not s["regions"] and not s["enabled_regions"]:
            raise AnsibleError(
                f"{path}: set 'regions' to the list of Regions to cover (for example [us-east-1, eu-west-1]) "
                "or set 'enabled_regions: true' to use each account's enabled Regions."
            )
        s["include_ids"], s["include_names"] = self._account_rules("include_accounts", self.get_option("include_accounts"))
        s["exclude_ids"], s["exclude_names"] = self._account_rules("exclude_accounts", self.get_option("exclude_accounts"))
        s["include_ous"] = self._ou_rules("include_ous", self.get_option("include_ous"))
        s["exclude_ous"] = self._ou_rules("exclude_ous", self.get_option("exclude_ous"))
        s["assume_role_name"] = self._templated_option("assume_role_name") or ""
        s["external_id"] = self._templated_option("external_id")
        s["role_session_name"] = self._templated_option("role_session_name")
        s["hostname_style"] = self.get_option("hostname_style")
        s["ou_groups"] = bool(self.get_option("ou_groups"))
        s["ou_group_prefix"] = self.get_option("ou_group_prefix") or ""
        s["need_tree"] = bool(s["ou_groups"] or s["include_ous"] or s["exclude_ous"])
        return s

    # ------------------------------------------------------------------ AWS
    def _home_region(self):
        return self.region or "us-east-1"

    def _aws_client(self, service):
        return self.client(
            service,
            region=self._home_region(),
            retry_decorator=AWSRetry.jittered_backoff(retries=10, delay=1, max_delay=30),
        )

    def _call(self, client, service, operation, **params):
        with self._calls_lock:
            self._calls[f"{service}:{operation}"] += 1
        method = getattr(client, re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower())
        return method(aws_retry=True, **params)

    def _paged(self, client, service, operation, result_key, **params):
        items = []
        while True:
            response = self._call(client, service, operation, **params)
            items.extend(response.get(result_key, []))
            token = response.get("NextToken")
            if not token:
                return items
            params["NextToken"] = token

    def _org_error(self, operation, e):
        code = e.response.get("Error", {}).get("Code", "") if isinstance(e, botocore.exceptions.ClientError) else ""
        if code == "AWSOrganizationsNotInUseException":
            self.fail_aws(
                "The calling account is not a member of an AWS organization. Run the inventory with "
                "credentials of the organization's management account (or a delegated administrator)."
            )
        if code in ("AccessDeniedException", "AccessDenied"):
            self.fail_aws(
                f"organizations:{operation} was denied{self._management_hint()}. Use credentials of the management "
                "account or of a delegated administrator for AWS Organizations with the permissions in "
                "docs/iam/inventory-policy.json",
                exception=e,
            )
        self.fail_aws(f"organizations:{operation} failed", exception=e)

    def _management_hint(self):
        """Only on the failure path: DescribeOrganization works from any member account."""
        try:
            org = self._aws_client("organizations")
            description = self._call(org, "organizations", "DescribeOrganization")["Organization"]
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError, KeyError):
            return ""
        management = description.get("MasterAccountId")
        if management and self._caller_id and management != self._caller_id:
            return f" (the caller, account {self._caller_id}, is a member account; the management account is {management})"
        return ""

    def _caller(self):
        sts = self._aws_client("sts")
        try:
            identity = self._call(sts, "sts", "GetCallerIdentity")
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:
            self.fail_aws("sts:GetCallerIdentity failed; check the AWS credentials given to the inventory", exception=e)
        self._caller_id = identity["Account"]
        arn = identity.get("Arn", "")
        partition = arn.split(":")[1] if arn.count(":") >= 2 else "aws"
        return identity["Account"], partition

    def _list_accounts(self, org):
        try:
            return self._paged(org, "organizations", "ListAccounts", "Accounts", MaxResults=20), {}
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:
            self._org_error("ListAccounts", e)

    def _walk_tree(self, org):
        """Breadth-first walk. Returns (accounts with _ou_id, {ou_id: {id, name, path, parent}})."""
        operation = "ListRoots"
        try:
            roots = self._paged(org, "organizations", "ListRoots", "Roots", MaxResults=20)
            ous = {}
            queue = []
            for root in roots:
                ous[root["Id"]] = {"id": root["Id"], "name": root.get("Name", "Root"), "path": "Root", "parent": None}
                queue.append(root["Id"])
            accounts = []
            while queue:
                parent = queue.pop(0)
                operation = "ListAccountsForParent"
                for account in self._paged(
                    org, "organizations", "ListAccountsForParent", "Accounts", ParentId=parent, MaxResults=20
                ):
                    account = dict(account)
                    account["_ou_id"] = parent
                    accounts.append(account)
                operation = "ListOrganizationalUnitsForParent"
                for child in self._paged(
                    org, "organizations", "ListOrganizationalUnitsForParent", "OrganizationalUnits",
                    ParentId=parent, MaxResults=20,
                ):
                    ous[child["Id"]] = {
                        "id": child["Id"],
                        "name": child["Name"],
                        "path": f"{ous[parent]['path']}/{child['Name']}",
                        "parent": parent,
                    }
                    queue.append(child["Id"])
            return accounts, ous
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:
            self._org_error(operation, e)

    def _caller_enabled_regions(self, reason):
        ec2 = self._aws_client("ec2")
        try:
            found = sorted(r["RegionName"] for r in self._call(ec2, "ec2", "DescribeRegions").get("Regions", []))
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:
            self.fail_aws(
                f"account:ListRegions is unavailable ({reason}) and ec2:DescribeRegions failed too; "
                "set 'regions' and 'enabled_regions: false', or grant the permissions in docs/iam/inventory-policy.json",
                exception=e,
            )
        self.warn(
            f"secops.config1.organizations: account:ListRegions is unavailable ({reason}); using the Regions "
            "enabled in the calling account (ec2:DescribeRegions) for every account. Grant account:ListRegions "
            "and enable trusted access for AWS Account Management to get each account's own Regions."
        )
        return found

    def _enabled_regions(self, account_ids, caller_id):
        """{account_id: sorted enabled Regions}. One account:ListRegions per account (pages of 50)."""
        if not account_ids:
            return {}
        client = self._aws_client("account")

        def one(account_id):
            params = {"RegionOptStatusContains": LIST_REGIONS_STATUSES, "MaxResults": 50}
            if account_id != caller_id:
                # AccountId must be omitted for the caller's own account (the management account
                # cannot address itself through the organization context).
                params["AccountId"] = account_id
            return sorted(r["RegionName"] for r in self._paged(client, "account", "ListRegions", "Regions", **params))

        result = {}
        first, rest = account_ids[0], account_ids[1:]
        try:
            result[first] = one(first)
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:
            fallback = self._caller_enabled_regions(to_native(e).splitlines()[0])
            return {a: list(fallback) for a in account_ids}

        fallback = None
        with ThreadPoolExecutor(max_workers=min(REGIONS_MAX_WORKERS, max(1, len(rest)))) as pool:
            futures = {a: pool.submit(one, a) for a in rest}
        for account_id, future in futures.items():
            try:
                result[account_id] = future.result()
            except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as e:
                if fallback is None:
                    fallback = self._caller_enabled_regions(f"for {account_id}: {to_native(e).splitlines()[0]}")
                self.warn(f"secops.config1.organizations: {account_id}: using the calling account's Regions.")
                result[account_id] = list(fallback)
        return result

    # ------------------------------------------------------------------ selection
    @staticmethod
    def _resolve_ou_rules(option, rules, ous):
        by_path = {}
        for ou in ous.values():
            by_path.setdefault(ou["path"], ou["id"])
        resolved = set()
        for kind, value in rules:
            if kind == "id":
                ou_id = value if value in ous else None
            else:
                ou_id = by_path.get(value)
            if ou_id is None:
                known = sorted(by_path)
                shown = ", ".join(known[:25]) + (" ..." if len(known) > 25 else "")
                raise AnsibleError(
                    f"{option}: '{value}' matches no OU of this organization. Use an existing OU ID or path; "
                    f"known paths: {shown}"
                )
            resolved.add(ou_id)
        return resolved

    @staticmethod
    def _ancestors(ou_id, ous):
        chain = []
        while ou_id:
            chain.append(ou_id)
            ou_id = ous[ou_id]["parent"] if ou_id in ous else None
        return chain

    @staticmethod
    def _matches(account, ids, patterns):
        name = account.get("Name") or ""
        return account["Id"] in ids or any(fnmatch.fnmatchcase(name, p) for p in patterns)

    def _select(self, accounts, ous, s):
        include_ous = self._resolve_ou_rules("include_ous", s["include_ous"], ous)
        exclude_ous = self._resolve_ou_rules("exclude_ous", s["exclude_ous"], ous)
        any_include = bool(s["include_ids"] or s["include_names"] or include_ous)
        selected = []
        for account in accounts:
            chain = set(self._ancestors(account.get("_ou_id"), ous)) if ous else set()
            if any_include and not (
                self._matches(account, s["include_ids"], s["include_names"]) or chain & include_ous
            ):
                continue
            if self._matches(account, s["exclude_ids"], s["exclude_names"]) or chain & exclude_ous:
                continue
            selected.append(account)

        active_ids = {a["Id"] for a in accounts}
        for account_id in sorted(s["include_ids"] - active_ids):
            self.warn(f"secops.config1.organizations: include_accounts: {account_id} is not an active account of the organization.")
        for pattern in s["include_names"]:
            if not any(fnmatch.fnmatchcase(a.get("Name") or "", pattern) for a in accounts):
                self.warn(f"secops.config1.organizations: include_accounts: '{pattern}' matches no active account name.")
        return selected

    def _fetch(self, s):
        caller_id, partition = self._caller()
        org = self._aws_client("organizations")
        if s["need_tree"]:
            accounts, ous = self._walk_tree(org)
        else:
            accounts, ous = self._list_accounts(org)
        accounts = [a for a in accounts if _account_state(a) == "ACTIVE"]
        accounts.sort(key=lambda a: a["Id"])
        selected = self._select(accounts, ous, s)

        if s["enabled_regions"]:
            enabled = self._enabled_regions([a["Id"] for a in selected], caller_id)
        else:
            enabled = {}

        records = []
        for account in selected:
            if s["enabled_regions"]:
                available = set(enabled.get(account["Id"], []))
                regions = [r for r in s["regions"] if r in available] if s["regions"] else sorted(available)
            else:
                regions = list(s["regions"])
            if not regions:
                self.warn(
                    f"secops.config1.organizations: account {account['Id']} ({account.get('Name')}) has none of the "
                    "requested Regions enabled; its config1_regions is empty."
                )
            ou_id = account.get("_ou_id")
            records.append(
                {
                    "id": account["Id"],
                    "name": account.get("Name") or "",
                    "email": account.get("Email") or "",
                    "arn": account.get("Arn") or "",
                    "partition": partition,
                    "is_caller": account["Id"] == caller_id,
                    "regions": regions,
                    "ou_id": ou_id,
                    "ou_path": ous[ou_id]["path"] if ou_id in ous else None,
                    "ou_chain": [ous[o]["path"] for o in reversed(self._ancestors(ou_id, ous))] if ou_id in ous else [],
                }
            )
        self.display.v(
            f"secops.config1.organizations: {sum(self._calls.values())} API calls "
            f"({', '.join(f'{k}={v}' for k, v in sorted(self._calls.items()))}); "
            f"{len(accounts)} active accounts, {len(records)} selected"
        )
        return records

    # ------------------------------------------------------------------ inventory
    def _hostnames(self, records, style):
        names = {}
        if style == "name":
            wanted = [sanitise(r["name"]) or f"acct_{r['id']}" for r in records]
            clashes = {n for n in wanted if wanted.count(n) > 1}
            for record, name in zip(records, wanted):
                if name in clashes:
                    self.warn(f"secops.config1.organizations: account name '{record['name']}' is not unique; using the ID in its host name.")
                    name = self._hostname_id_name(record)
                names[record["id"]] = name
        else:
            for record in records:
                names[record["id"]] = f"acct_{record['id']}" if style == "id" else self._hostname_id_name(record)
        return names

    @staticmethod
    def _hostname_id_name(record):
        suffix = sanitise(record["name"])
        return f"acct_{record['id']}_{suffix}" if suffix else f"acct_{record['id']}"

    def _ou_group(self, prefix, ou_path):
        rest = ou_path.split("/", 1)[1] if "/" in ou_path else "root"
        return f"{prefix}{sanitise(rest) or 'root'}"

    def _populate(self, records, s):
        self.inventory.add_group(GROUP)
        names = self._hostnames(records, s["hostname_style"])
        strict = self.get_option("strict")
        for record in records:
            host = names[record["id"]]
            self.inventory.add_host(host, group=GROUP)
            hostvars = {
                "ansible_connection": "local",
                "ansible_python_interpreter": trust_as_template("{{ ansible_playbook_python }}"),
                "aws_account_id": record["id"],
                "aws_account_name": record["name"],
                "aws_account_email": record["email"],
                "aws_account_arn": record["arn"],
                "aws_partition": record["partition"],
                "config1_regions": list(record["regions"]),
            }
            if record["ou_path"]:
                hostvars["aws_ou_id"] = record["ou_id"]
                hostvars["aws_ou_path"] = record["ou_path"]
            if not record["is_caller"] and s["assume_role_name"]:
                hostvars["config1_assume_role"] = s["assume_role_name"]
                if s["external_id"]:
                    hostvars["config1_external_id"] = s["external_id"]
                if s["role_session_name"]:
                    hostvars["config1_role_session_name"] = s["role_session_name"]
            for key, value in hostvars.items():
                self.inventory.set_variable(host, key, value)

            if s["ou_groups"] and record["ou_chain"]:
                parent_group = None
                for path in record["ou_chain"]:
                    group = self._ou_group(s["ou_group_prefix"], path)
                    self.inventory.add_group(group)
                    if parent_group and parent_group != group:
                        self.inventory.add_child(parent_group, group)
                    parent_group = group
                self.inventory.add_child(parent_group, host)

            all_vars = self.inventory.get_host(host).get_vars()
            self._set_composite_vars(self.get_option("compose"), all_vars, host, strict=strict)
            all_vars = self.inventory.get_host(host).get_vars()
            self._add_host_to_composed_groups(self.get_option("groups"), all_vars, host, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), all_vars, host, strict=strict)

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache=cache)
        settings = self._settings(path)

        was_cached, records = self.get_cached_result(path, cache)
        if not was_cached:
            records = self._fetch(settings)
            self.update_cached_result(path, cache, records)
        self._populate(records, settings)
