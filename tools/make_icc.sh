#!/bin/sh
# Rebuild a CMYK profile dialoogkit separates colours with: src/dialoogkit/data/icc/CONDITION-300.icc
#
#   tools/make_icc.sh            # FOGRA39 (coated, the default condition)
#   tools/make_icc.sh FOGRA29    # uncoated paper
#
# Needs Debian's `icc-profiles-free` (FOGRA39L.ti3, FOGRA29L.ti3, …: Fogra's characterization data,
# Zlib licence) and `argyll` (colprof): apt-get install icc-profiles-free argyll
# Takes 20 to 45 seconds. The profile's tables keep every colour within 300% total area coverage
# (-l300) and 100% black (-L100); black generation is Argyll's default ramp. See
# src/dialoogkit/data/icc/README.txt for the licence and the sizes.
set -eu
condition=${1:-FOGRA39}
case "$condition" in
  FOGRA39) paper="coated" ;;
  FOGRA29) paper="uncoated" ;;
  *) echo "make_icc.sh: no recipe for $condition (FOGRA39 or FOGRA29)" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")/.." && pwd)
data=${TI3:-/usr/share/color/icc/${condition}L.ti3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$data" "$work/${condition}L.ti3"
cd "$work"
colprof -qm -l300 -L100 -nc \
  -D "Based on $condition: dialoogkit CMYK, ISO 12647-2 $paper, TAC 300%" \
  -C "Built from ${condition}L.ti3 (Zlib licence, Kai-Uwe Behrmann / Fogra) with ArgyllCMS colprof" \
  "${condition}L"
cp "${condition}L.icc" "$here/src/dialoogkit/data/icc/${condition}-300.icc"
ls -l "$here/src/dialoogkit/data/icc/${condition}-300.icc"
