#!/bin/sh
# Rebuild src/dialoogkit/data/icc/FOGRA39-300.icc, the CMYK profile dialoogkit converts colours with.
#
# Needs Debian's `icc-profiles-free` (FOGRA39L.ti3, the FOGRA39 characterization data, Zlib licence)
# and `argyll` (colprof): apt-get install icc-profiles-free argyll
# Takes about 20 seconds. The profile's tables keep every colour within 300% total area coverage
# (-l300) and 100% black (-L100); black generation is Argyll's default ramp.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
data=${FOGRA39_TI3:-/usr/share/color/icc/FOGRA39L.ti3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$data" "$work/FOGRA39L.ti3"
cd "$work"
colprof -qm -l300 -L100 -nc \
  -D "Based on FOGRA39: dialoogkit CMYK, ISO 12647-2 coated, TAC 300%" \
  -C "Built from FOGRA39L.ti3 (Zlib licence, Kai-Uwe Behrmann / Fogra) with ArgyllCMS colprof" \
  FOGRA39L
cp FOGRA39L.icc "$here/src/dialoogkit/data/icc/FOGRA39-300.icc"
ls -l "$here/src/dialoogkit/data/icc/FOGRA39-300.icc"
