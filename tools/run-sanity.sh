#!/usr/bin/env bash
# ansible-test sanity needs the collection at .../ansible_collections/secops/config1 (a real
# directory, not a symlink) with its dependency amazon.aws beside it. Copy the tracked and
# untracked-but-not-ignored files there and run the sanity tests that need no containers.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="$ROOT/.venv/bin/python"
DEST="$ROOT/.build/sanity/ansible_collections"
rm -rf "$DEST/secops/config1"
mkdir -p "$DEST/secops/config1" "$DEST/amazon"
cd "$ROOT"
if git rev-parse --git-dir >/dev/null 2>&1; then
  git ls-files -co --exclude-standard -z | xargs -0 -I{} cp --parents {} "$DEST/secops/config1/" 2>/dev/null || true
else
  tar --exclude=./.build --exclude=./.venv --exclude=./.ansible -cf - . | tar -xf - -C "$DEST/secops/config1/"
fi
AMAZON="$("$PY" -c 'import ansible_collections.amazon.aws as m, os; print(os.path.dirname(m.__file__))' 2>/dev/null || "$PY" -c 'import os, ansible_collections; print(os.path.join(list(ansible_collections.__path__)[0], "amazon", "aws"))')"
ln -sfn "$AMAZON" "$DEST/amazon/aws"
cd "$DEST/secops/config1"
git init -q . && git add -A >/dev/null 2>&1 || true
# ansible-test bootstraps pip in its sanity venvs with a script it downloads from a host the build
# machines cannot reach. Give it a stand-in that does the same with the standard library's
# ensurepip plus pip from the package index.
for v in 24_2 24_3 25_0 25_1 25_2 25_3; do
  shim="$HOME/.ansible/test/cache/get_pip_$v.py"
  mkdir -p "$(dirname "$shim")"
    cat > "$shim" <<'PYEOF'
"""Stand-in for pypa's get-pip.py: bootstrap pip with ensurepip, then `pip install <argv>`."""
import ensurepip
import os
import subprocess
import sys

ensurepip.bootstrap(upgrade=True)
os.environ.pop("PIP_CONFIG_FILE", None)  # ensurepip sets it to os.devnull; keep the machine's pip config
args = [a for a in sys.argv[1:] if a not in ("--no-setuptools", "--no-wheel")]  # get-pip's own flags
sys.exit(subprocess.call([sys.executable, "-m", "pip", "install"] + args))
PYEOF
done
PYVER="$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
exec "$ROOT/.venv/bin/ansible-test" sanity --python "$PYVER" --color no "$@"
