#!/usr/bin/env bash
# The demo `make demo` runs: examples/msp as a configuration repository of its own, its configuration applied to
# an embedded state store, and a proposed pricing change planned against it with its invoice impact.
#
#   examples/demo.sh PROFORMA [FOLDER]    (FOLDER defaults to .build/demo)
set -euo pipefail
proforma=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
here=$(cd "$(dirname "$0")" && pwd)
folder=${2:-.build/demo}
rm -rf "$folder"
mkdir -p "$folder"
cp -R "$here/msp" "$folder/msp"
cd "$folder/msp"
git() { command git -c user.name=proforma-demo -c user.email=demo@example.com -c commit.gpgsign=false "$@"; }
git init -q -b main
git add -A
git commit -q -m "Altitude Cloud Partners: customer pricing"

echo "\$ proforma validate"
"$proforma" validate
echo
echo "\$ proforma apply --yes --period 2026-09 --backfill --actor demo   # the state store: .proforma/state.db"
"$proforma" apply --yes --period 2026-09 --backfill --actor demo | tail -n 1
echo
echo "\$ git apply ../../../examples/proposals/standard-markup-14.patch   # a pull request: 12 % → 14 %"
git apply "$here/proposals/standard-markup-14.patch"
echo
echo "\$ proforma plan   # the working tree against the applied configuration, priced from the usage data"
status=0
"$proforma" plan || status=$?
echo
echo "(plan exited $status: 0 no guardrail broken, 3 a guardrail broken)"
echo
echo "\$ proforma state history"
"$proforma" state history
