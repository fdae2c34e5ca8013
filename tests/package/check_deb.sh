#!/usr/bin/env bash
# cpack makes a .deb; apt resolves its dependencies on this machine; dpkg installs it into a scratch
# root (the machine's own packages are left alone) and the installed programs run.
# Usage: check_deb.sh BUILD_DIR
set -euo pipefail
build=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
(cd "$work" && cpack --config "$build/CPackConfig.cmake" -B "$work/out" >/dev/null)
deb=$(find "$work/out" -maxdepth 1 -name 'racetiming_*.deb' | head -n1)
[[ -n "$deb" ]] || fail "cpack made no .deb"
echo "built $(basename "$deb")"
dpkg-deb --field "$deb" Package Version Depends
files=$(dpkg-deb --contents "$deb")
for f in ./usr/bin/racetimingd ./usr/bin/racetiming ./usr/include/racetiming/racetiming.hpp ./usr/lib/cmake/racetiming/racetimingConfig.cmake; do
  grep -q " $f\$" <<<"$files" || fail "$f is not in the package"
done
grep -q 'libracetiming\.so' <<<"$files" || fail "the library is not in the package"
# every dependency is installable here (a simulated install against the machine's package database)
apt-get install --simulate --no-install-recommends "$deb" >"$work/simulate.txt" 2>&1 || { cat "$work/simulate.txt"; fail "dependencies do not resolve"; }
root="$work/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates"
touch "$root/var/lib/dpkg/status"
# --force-depends: the scratch root's package database is empty; the simulation above checked them
dpkg --root="$root" --force-depends --force-not-root --force-script-chrootless -i "$deb" >"$work/dpkg.txt" 2>&1 || { cat "$work/dpkg.txt"; fail "dpkg -i failed"; }
# into files, then grep: `grep -q` leaves a pipe as soon as it matches, and a long help text then dies
# of SIGPIPE (a failure under pipefail)
"$root/usr/bin/racetimingd" --help >"$work/help.txt" && grep -q 'racetimingd' "$work/help.txt" || fail "the installed racetimingd does not run"
"$root/usr/bin/racetiming" --db "sqlite:$work/deb.db" db migrate >"$work/migrate.txt" && grep -q 'schema_version' "$work/migrate.txt" ||
  fail "the installed CLI does not run"
echo "deb: built, dependencies resolve, installed into a scratch root, racetimingd --help and racetiming run"
