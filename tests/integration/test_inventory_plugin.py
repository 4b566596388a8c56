# -*- coding: utf-8 -*-
"""End-to-end tests of the secops.config1.organizations inventory plugin against moto's server.

`ansible-inventory` runs as a subprocess with AWS_ENDPOINT_URL pointing at a ThreadedMotoServer
started by this module (self-contained; it does not use tests/harness).

moto 5.2.5 does not implement account:ListRegions (the server answers HTTP 404), so the
enabled_regions tests exercise the documented fallback to ec2:DescribeRegions of the caller.
"""

import json
import logging
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

import pytest

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

REPO = pathlib.Path(__file__).resolve().parents[2]
MGMT_ACCOUNT = "123456789012"  # moto's default account, the organization's management account


def _ansible_inventory_bin():
    candidate = pathlib.Path(sys.executable).with_name("ansible-inventory")
    if candidate.exists():
        return str(candidate)
    found = shutil.which("ansible-inventory")
    if not found:
        pytest.skip("ansible-inventory is not installed")
    return found


@pytest.fixture(scope="module")
def collections_path():
    """ANSIBLE_COLLECTIONS_PATH from the environment if set (the Makefile's), else a symlink tree."""
    from_env = os.environ.get("ANSIBLE_COLLECTIONS_PATH")
    if from_env:
        for entry in from_env.split(os.pathsep):
            if (pathlib.Path(entry) / "ansible_collections" / "secops" / "config1" / "galaxy.yml").exists():
                yield from_env
                return
    tmp = tempfile.mkdtemp(prefix="config1-coll-")
    link = pathlib.Path(tmp) / "ansible_collections" / "secops" / "config1"
    link.parent.mkdir(parents=True)
    link.symlink_to(REPO)
    yield tmp
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="module")
def moto_endpoint():
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="module")
def org(moto_endpoint):
    """Organization:

    Root                      master (management, 123456789012)
    Root/Workloads            shared-svc
    Root/Workloads/Prod       prod-app, prod-data
    Root/Workloads/Dev        dev-app
    Root/Sandbox              sandbox-1, closed-1 (closed -> SUSPENDED)
    Root/Security             (empty)
    """
    client = boto3.client(
        "organizations",
        endpoint_url=moto_endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_organization(FeatureSet="ALL")
    root = client.list_roots()["Roots"][0]["Id"]

    def ou(parent, name):
        return client.create_organizational_unit(ParentId=parent, Name=name)["OrganizationalUnit"]["Id"]

    ous = {"Root": root}
    ous["Workloads"] = ou(root, "Workloads")
    ous["Prod"] = ou(ous["Workloads"], "Prod")
    ous["Dev"] = ou(ous["Workloads"], "Dev")
    ous["Sandbox"] = ou(root, "Sandbox")
    ous["Security"] = ou(root, "Security")

    accounts = {"master": MGMT_ACCOUNT}
    for name, parent in [
        ("shared-svc", "Workloads"),
        ("prod-app", "Prod"),
        ("prod-data", "Prod"),
        ("dev-app", "Dev"),
        ("sandbox-1", "Sandbox"),
        ("closed-1", "Sandbox"),
    ]:
        status = client.create_account(AccountName=name, Email=f"{name}@example.com")["CreateAccountStatus"]
        account_id = status["AccountId"]
        client.move_account(AccountId=account_id, SourceParentId=root, DestinationParentId=ous[parent])
        accounts[name] = account_id
    client.close_account(AccountId=accounts["closed-1"])
    return {"ous": ous, "accounts": accounts}


@pytest.fixture()
def run_inventory(tmp_path, moto_endpoint, collections_path, org):
    def run(config, filename="test.organizations.yml", expect_fail=False, extra_args=(), enabled=True, export=True):
        path = tmp_path / filename
        if isinstance(config, pathlib.Path):
            path = config
        elif isinstance(config, str):
            path.write_text(config)
        else:
            path.write_text(json.dumps(config))  # JSON is YAML
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANSIBLE_"))}
        if enabled:
            env["ANSIBLE_INVENTORY_ENABLED"] = "secops.config1.organizations"
        env.update(
            ANSIBLE_COLLECTIONS_PATH=collections_path,
            AWS_ENDPOINT_URL=moto_endpoint,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_DEFAULT_REGION="us-east-1",
            ANSIBLE_INVENTORY_UNPARSED_FAILED="true",
            ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"),
            ANSIBLE_HOME=str(tmp_path / "ansible-home"),
            ANSIBLE_NOCOLOR="1",
            HOME=str(tmp_path),
            ANSIBLE_FORCE_COLOR="0",
        )
        proc = subprocess.run(
            [_ansible_inventory_bin(), "-i", str(path), "--list", *(["--export"] if export else []), *extra_args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if expect_fail:
            assert proc.returncode != 0, proc.stdout
            return proc
        assert proc.returncode == 0, f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
        # -v output precedes the JSON document
        document = proc.stdout if proc.stdout.startswith("{") else proc.stdout[proc.stdout.index("\n{") + 1 :]
        data = json.loads(document, object_hook=_unwrap_unsafe)
        data["_stderr"] = proc.stderr
        data["_stdout"] = proc.stdout
        return data

    return run


def _unwrap_unsafe(obj):
    # ansible-inventory's legacy JSON profile wraps strings that are not trusted as templates
    if len(obj) == 1 and "__ansible_unsafe" in obj:
        return obj["__ansible_unsafe"]
    return obj


def hostvars(data):
    return data["_meta"]["hostvars"]


def by_account(data):
    return {v["aws_account_id"]: (h, v) for h, v in hostvars(data).items()}


def group_hosts(data, group):
    """Hosts of a group, including those of its child groups."""
    entry = data.get(group, {})
    hosts = set(entry.get("hosts", []))
    for child in entry.get("children", []):
        hosts |= group_hosts(data, child)
    return hosts


def api_calls(data):
    match = re.search(r"organizations: (\d+) API calls \(([^)]*)\)", data["_stdout"] + data["_stderr"])
    assert match, data["_stdout"] + data["_stderr"]
    return int(match.group(1)), dict(kv.split("=") for kv in match.group(2).split(", "))


BASE = {"plugin": "secops.config1.organizations", "regions": ["us-east-1", "eu-west-1"]}


def test_active_accounts_and_contract_hostvars(run_inventory, org):
    data = run_inventory(dict(BASE, external_id="ext-123", role_session_name="config1-audit"))
    accounts = org["accounts"]
    found = by_account(data)
    assert set(found) == {accounts[n] for n in ("master", "shared-svc", "prod-app", "prod-data", "dev-app", "sandbox-1")}
    assert accounts["closed-1"] not in found

    host, hv = found[accounts["prod-app"]]
    assert host == f"acct_{accounts['prod-app']}_prod_app"
    assert hv["ansible_connection"] == "local"
    assert hv["ansible_python_interpreter"] == "{{ ansible_playbook_python }}"
    assert hv["aws_account_id"] == accounts["prod-app"] and isinstance(hv["aws_account_id"], str)
    assert hv["aws_account_name"] == "prod-app"
    assert hv["aws_account_email"] == "prod-app@example.com"
    assert hv["aws_ou_path"] == "Root/Workloads/Prod"
    assert hv["aws_ou_id"] == org["ous"]["Prod"]
    assert hv["config1_assume_role"] == "OrganizationAccountAccessRole"
    assert hv["config1_external_id"] == "ext-123"
    assert hv["config1_role_session_name"] == "config1-audit"
    assert hv["config1_regions"] == ["us-east-1", "eu-west-1"]

    # the caller's own (management) account uses ambient credentials
    mgmt = found[MGMT_ACCOUNT][1]
    assert "config1_assume_role" not in mgmt
    assert "config1_external_id" not in mgmt
    assert mgmt["aws_ou_path"] == "Root"

    assert group_hosts(data, "config1_accounts") == set(hostvars(data))


def test_ou_groups_are_nested(run_inventory, org):
    data = run_inventory(BASE)
    found = by_account(data)
    acc = org["accounts"]
    name = {a: found[a][0] for a in found}
    assert group_hosts(data, "ou_workloads_prod") == {name[acc["prod-app"]], name[acc["prod-data"]]}
    assert group_hosts(data, "ou_workloads") == {name[acc[n]] for n in ("shared-svc", "prod-app", "prod-data", "dev-app")}
    assert "ou_workloads_prod" in data["ou_workloads"]["children"]
    assert group_hosts(data, "ou_sandbox") == {name[acc["sandbox-1"]]}
    assert group_hosts(data, "ou_root") == set(hostvars(data))


def test_keyed_groups_compose_and_no_tree(run_inventory, org):
    config = dict(
        BASE,
        ou_groups=False,
        hostname_style="name",
        keyed_groups=[{"key": "aws_ou_path", "prefix": "ou"}],
        compose={"config1_profile": "'profile-' ~ aws_account_name"},
        groups={"production": "aws_account_name is match('prod-')"},
    )
    data = run_inventory(config, extra_args=("-v",))
    # without OU filters and ou_groups the tree is not read: no aws_ou_path, no keyed OU groups
    assert not [g for g in data if g.startswith("ou_")]
    assert "aws_ou_path" not in hostvars(data)["prod_app"]
    assert hostvars(data)["prod_app"]["config1_profile"] == "profile-prod-app"
    assert group_hosts(data, "production") == {"prod_app", "prod_data"}
    total, calls = api_calls(data)
    assert calls == {"sts:GetCallerIdentity": "1", "organizations:ListAccounts": "1"}
    assert total == 2


def test_keyed_groups_per_ou(run_inventory, org):
    data = run_inventory(dict(BASE, keyed_groups=[{"key": "aws_ou_path", "prefix": "ou"}]), extra_args=("-v",))
    acc = org["accounts"]
    found = by_account(data)
    assert data["ou_Root_Workloads_Prod"]["hosts"] == sorted([found[acc["prod-app"]][0], found[acc["prod-data"]][0]])
    assert data["ou_Root_Sandbox"]["hosts"] == [found[acc["sandbox-1"]][0]]
    total, calls = api_calls(data)
    # 1 STS + 1 ListRoots + (root + 5 OUs) x (ListAccountsForParent + ListOrganizationalUnitsForParent)
    assert calls["organizations:ListRoots"] == "1"
    assert calls["organizations:ListAccountsForParent"] == "6"
    assert calls["organizations:ListOrganizationalUnitsForParent"] == "6"
    assert "organizations:ListAccounts" not in calls
    assert total == 14


def test_include_and_exclude_accounts(run_inventory, org):
    acc = org["accounts"]
    data = run_inventory(dict(BASE, include_accounts=[acc["dev-app"], "prod-*"], exclude_accounts=["prod-data"]))
    assert set(by_account(data)) == {acc["dev-app"], acc["prod-app"]}

    data = run_inventory(dict(BASE, exclude_accounts=[acc["sandbox-1"], "master"], ou_groups=False))
    assert set(by_account(data)) == {acc[n] for n in ("shared-svc", "prod-app", "prod-data", "dev-app")}


def test_include_and_exclude_ous_nested(run_inventory, org):
    acc, ous = org["accounts"], org["ous"]
    # an included OU includes its sub-OUs; exclusion of a sub-OU wins
    data = run_inventory(dict(BASE, include_ous=["Root/Workloads"], exclude_ous=[ous["Dev"]], ou_groups=False))
    assert set(by_account(data)) == {acc["shared-svc"], acc["prod-app"], acc["prod-data"]}
    assert by_account(data)[acc["prod-app"]][1]["aws_ou_path"] == "Root/Workloads/Prod"

    # OU IDs, paths without the Root/ prefix, and union with include_accounts
    data = run_inventory(dict(BASE, include_ous=[ous["Prod"], "Sandbox"], include_accounts=["master"]))
    assert set(by_account(data)) == {acc["prod-app"], acc["prod-data"], acc["sandbox-1"], MGMT_ACCOUNT}

    # exclude only
    data = run_inventory(dict(BASE, exclude_ous=["Root/Workloads"]))
    assert set(by_account(data)) == {MGMT_ACCOUNT, acc["sandbox-1"]}


def test_enabled_regions_fallback(run_inventory, org):
    # moto has no account:ListRegions -> warning + ec2:DescribeRegions of the caller, intersected
    data = run_inventory(
        {"plugin": "secops.config1.organizations", "enabled_regions": True,
         "regions": ["eu-west-1", "us-east-1", "xx-fake-9"], "include_accounts": ["prod-*", "master"]},
        extra_args=("-v",),
    )
    assert "account:ListRegions is unavailable" in data["_stderr"]
    for _host, hv in by_account(data).values():
        assert hv["config1_regions"] == ["eu-west-1", "us-east-1"]
    total, calls = api_calls(data)
    assert calls["account:ListRegions"] == "1"  # first failure switches every account to the fallback
    assert calls["ec2:DescribeRegions"] == "1"

    data = run_inventory({"plugin": "secops.config1.organizations", "enabled_regions": True, "ou_groups": False})
    regions = by_account(data)[MGMT_ACCOUNT][1]["config1_regions"]
    assert "us-east-1" in regions and "eu-west-1" in regions and regions == sorted(regions)


def test_assume_role_name_empty_and_hostname_id(run_inventory, org):
    data = run_inventory(dict(BASE, assume_role_name="", hostname_style="id", ou_groups=False))
    for host, hv in hostvars(data).items():
        assert host == f"acct_{hv['aws_account_id']}"
        assert "config1_assume_role" not in hv


@pytest.mark.parametrize(
    "config, message",
    [
        (dict(BASE, include_accounts=["12345"]), "not a valid AWS account ID"),
        (dict(BASE, exclude_accounts=["1234567890123"]), "exactly 12 digits"),
        (dict(BASE, include_ous=["ou-xyz"]), "malformed OU ID"),
        (dict(BASE, exclude_ous=["r-A!"]), "malformed root ID"),
        (dict(BASE, include_ous=["Root/Nope"]), "matches no OU"),
        (dict(BASE, regions=["us-east1"]), "do not look like AWS Region names"),
        ({"plugin": "secops.config1.organizations"}, "set 'regions'"),
        (dict(BASE, include_acounts=["x"]), "unknown option(s) include_acounts"),
        ("plugin: secops.config1.organizations\nregions: [us-east-1]\ninclude_accounts: [011111111111]\n",
         "Quote account IDs"),
    ],
)
def test_bad_input_fails_clearly(run_inventory, config, message):
    proc = run_inventory(config, expect_fail=True)
    output = re.sub(r"\s+", " ", proc.stderr + proc.stdout)
    assert message in output, output


CONTRACT_KEYS = {"ansible_connection", "ansible_python_interpreter", "aws_account_id", "aws_account_name", "config1_regions"}


def test_example_plugin_config_works(run_inventory, org):
    """inventory/organizations.example.organizations.yml, unchanged, against the emulator."""
    acc = org["accounts"]
    data = run_inventory(REPO / "inventory" / "organizations.example.organizations.yml", enabled=False)
    found = by_account(data)
    # Root/Workloads (+ sub-OUs) and Root/Security (empty); sandbox-* excluded anyway
    assert set(found) == {acc[n] for n in ("shared-svc", "prod-app", "prod-data", "dev-app")}
    for _host, hv in found.values():
        assert CONTRACT_KEYS <= set(hv)
        assert hv["config1_assume_role"] == "OrganizationAccountAccessRole"
    assert group_hosts(data, "production") == {found[acc["prod-app"]][0], found[acc["prod-data"]][0]}


def test_example_static_inventory_follows_contract(run_inventory):
    # without --export, so group vars are merged into each host's variables
    data = run_inventory(REPO / "inventory" / "example.yml", enabled=False, export=False)
    hosts = hostvars(data)
    assert len(hosts) == 3
    assert group_hosts(data, "config1_accounts") == set(hosts)
    roles = {}
    for host, hv in hosts.items():
        assert CONTRACT_KEYS <= set(hv), host
        assert hv["ansible_connection"] == "local"
        assert hv["ansible_python_interpreter"] == "{{ ansible_playbook_python }}"
        assert isinstance(hv["aws_account_id"], str) and re.match(r"^\d{12}$", hv["aws_account_id"])
        assert host.startswith(f"acct_{hv['aws_account_id']}")
        assert hv["aws_ou_path"].startswith("Root")
        roles[host] = hv.get("config1_assume_role")
    assert sorted(r is None for r in roles.values()) == [False, False, True]  # one ambient
    assert any(r and r.startswith("arn:aws:iam::") for r in roles.values())  # one by ARN
    by_name = [h for h, r in roles.items() if r and not r.startswith("arn:")]
    assert len(by_name) == 1 and hosts[by_name[0]]["config1_external_id"]


def test_cache_skips_api_calls(run_inventory, tmp_path):
    config = dict(BASE, cache=True, cache_plugin="ansible.builtin.jsonfile",
                  cache_connection=str(tmp_path / "inv-cache"), cache_timeout=600)
    first = run_inventory(config, extra_args=("-v",))
    assert api_calls(first)[0] > 0
    second = run_inventory(config, extra_args=("-v",))
    assert "API calls" not in second["_stdout"] + second["_stderr"]
    assert hostvars(second) == hostvars(first)


# ---------------------------------------------------------------------------------------------
# In-process tests with fake AWS clients, for paths moto 5.2.5 cannot produce: a working
# account:ListRegions, the deprecated Status-only account shape, ListAccounts pagination and the
# access-denied explanation.
# ---------------------------------------------------------------------------------------------

class _FakeClient:
    def __init__(self, service, handlers):
        self.service = service
        self.handlers = handlers
        self.calls = []

    def __getattr__(self, method):
        def call(aws_retry=False, **params):
            assert aws_retry is True, "every call must go through the retry wrapper"
            self.calls.append((method, params))
            return self.handlers[method](**params)

        return call


def _client_error(code, operation):
    import botocore.exceptions

    return botocore.exceptions.ClientError({"Error": {"Code": code, "Message": code}}, operation)


@pytest.fixture()
def plugin_module(collections_path):
    for entry in collections_path.split(os.pathsep):
        if entry not in sys.path:
            sys.path.insert(0, entry)
    from ansible_collections.secops.config1.plugins.inventory import organizations

    return organizations


def _plugin(module, clients, **options):
    plugin = module.InventoryModule()
    defaults = {
        "regions": [], "enabled_regions": False, "include_accounts": [], "exclude_accounts": [],
        "include_ous": [], "exclude_ous": [], "assume_role_name": "OrganizationAccountAccessRole",
        "external_id": None, "role_session_name": None, "hostname_style": "id_name",
        "ou_groups": False, "ou_group_prefix": "ou_",
    }
    defaults.update(options)
    plugin.get_option = lambda name, hostvars=None: defaults.get(name)
    plugin.templar = None
    plugin._check_unknown_options = lambda path: None
    plugin.warnings = []
    plugin.warn = plugin.warnings.append
    plugin._aws_client = lambda service: clients[service]
    return plugin


def _identity(account="111111111111"):
    return {"Account": account, "Arn": f"arn:aws-us-gov:iam::{account}:user/x"}


def test_inprocess_list_regions_and_status_only_accounts(plugin_module):
    pages = {
        None: {"Accounts": [{"Id": "111111111111", "Name": "mgmt", "Status": "ACTIVE"},
                            {"Id": "222222222222", "Name": "a", "Status": "ACTIVE"}], "NextToken": "t1"},
        "t1": {"Accounts": [{"Id": "333333333333", "Name": "b", "Status": "SUSPENDED"},
                            {"Id": "444444444444", "Name": "c", "State": "PENDING_CLOSURE", "Status": "ACTIVE"},
                            {"Id": "555555555555", "Name": "d", "State": "ACTIVE"}]},
    }
    regions = {
        None: ["us-gov-west-1", "us-gov-east-1"],  # caller: no AccountId
        "222222222222": ["us-gov-west-1"],
        "555555555555": ["us-gov-east-1", "us-gov-west-1"],
    }
    clients = {
        "sts": _FakeClient("sts", {"get_caller_identity": _identity}),
        "organizations": _FakeClient("organizations", {"list_accounts": lambda MaxResults, NextToken=None: pages[NextToken]}),
        "account": _FakeClient("account", {"list_regions": lambda RegionOptStatusContains, MaxResults, AccountId=None: {
            "Regions": [{"RegionName": r, "RegionOptStatus": "ENABLED"} for r in regions[AccountId]]}}),
    }
    plugin = _plugin(plugin_module, clients, enabled_regions=True, regions=["us-gov-west-1", "us-gov-east-1", "us-east-1"])
    records = plugin._fetch(plugin._settings("x.organizations.yml"))
    by_id = {r["id"]: r for r in records}
    # SUSPENDED (Status only) and PENDING_CLOSURE (State wins over Status) are dropped
    assert sorted(by_id) == ["111111111111", "222222222222", "555555555555"]
    assert by_id["111111111111"]["regions"] == ["us-gov-west-1", "us-gov-east-1"]  # order of `regions`
    assert by_id["222222222222"]["regions"] == ["us-gov-west-1"]
    assert by_id["111111111111"]["is_caller"] and by_id["111111111111"]["partition"] == "aws-us-gov"
    assert len(clients["organizations"].calls) == 2  # two pages of ListAccounts
    account_ids = sorted(str(params.get("AccountId")) for _method, params in clients["account"].calls)
    assert account_ids == ["222222222222", "555555555555", "None"]
    assert all(p["RegionOptStatusContains"] == ["ENABLED", "ENABLED_BY_DEFAULT"] for _method, p in clients["account"].calls)
    assert plugin.warnings == []


def test_inprocess_list_regions_denied_for_one_account_falls_back(plugin_module):
    def list_regions(RegionOptStatusContains, MaxResults, AccountId=None):
        if AccountId == "333333333333":
            raise _client_error("AccessDeniedException", "ListRegions")
        return {"Regions": [{"RegionName": "eu-west-1"}]}

    clients = {
        "sts": _FakeClient("sts", {"get_caller_identity": _identity}),
        "organizations": _FakeClient("organizations", {"list_accounts": lambda MaxResults: {"Accounts": [
            {"Id": i, "Name": i, "State": "ACTIVE"} for i in ("111111111111", "222222222222", "333333333333")]}}),
        "account": _FakeClient("account", {"list_regions": list_regions}),
        "ec2": _FakeClient("ec2", {"describe_regions": lambda: {"Regions": [{"RegionName": "us-east-1"}, {"RegionName": "eu-west-1"}]}}),
    }
    plugin = _plugin(plugin_module, clients, enabled_regions=True)
    by_id = {r["id"]: r for r in plugin._fetch(plugin._settings("x.organizations.yml"))}
    assert by_id["222222222222"]["regions"] == ["eu-west-1"]
    assert by_id["333333333333"]["regions"] == ["eu-west-1", "us-east-1"]  # caller's enabled Regions
    assert any("account:ListRegions is unavailable" in w for w in plugin.warnings)


def test_inprocess_access_denied_names_the_management_account(plugin_module):
    from ansible.errors import AnsibleError

    def denied(**params):
        raise _client_error("AccessDeniedException", "ListAccounts")

    clients = {
        "sts": _FakeClient("sts", {"get_caller_identity": lambda: _identity("222222222222")}),
        "organizations": _FakeClient("organizations", {
            "list_accounts": denied,
            "describe_organization": lambda: {"Organization": {"MasterAccountId": "111111111111"}},
        }),
    }
    plugin = _plugin(plugin_module, clients, regions=["us-east-1"])
    with pytest.raises(AnsibleError) as raised:
        plugin._fetch(plugin._settings("x.organizations.yml"))
    message = str(raised.value)
    assert "organizations:ListAccounts was denied" in message
    assert "account 222222222222, is a member account; the management account is 111111111111" in message
    assert "docs/iam/inventory-policy.json" in message
