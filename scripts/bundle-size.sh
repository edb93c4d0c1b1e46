#!/usr/bin/env bash
# Prints the release bundle's raw and gzip sizes; with --check, fails when the
# gzip total is over the budget (BUNDLE_BUDGET_KB, default 350).
#
# Budget history: 250 KB for the walking skeleton (measured 170 KB). Raised to
# 350 KB when accounts, audit and the seal pages landed (measured ~294 KB
# before the seal pages): a single Leptos CSR bundle grows with every page
# even after type erasure (`erase_components`), one shared table component
# and dropping chrono's strftime code. The way back under 250 is route-level
# code splitting (Leptos lazy routes + wasm-split), which Trunk 0.21 cannot
# build yet. Raise this number only in a commit that says why.
source "$(dirname "$0")/lib.sh"
budget_kb="${BUNDLE_BUDGET_KB:-350}"
[ -f dist/index.html ] || die "dist/ is not built: run scripts/build-app.sh"
total_raw=0; total_gz=0
printf '%-44s %10s %10s\n' "file" "raw B" "gzip B"
for f in dist/*.html dist/*.js dist/*.wasm dist/*.css; do
  [ -f "$f" ] || continue
  raw=$(wc -c < "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
  printf '%-44s %10d %10d\n' "$(basename "$f")" "$raw" "$gz"
done
printf '%-44s %10d %10d\n' "TOTAL" "$total_raw" "$total_gz"
awk -v r="$total_raw" -v g="$total_gz" -v b="$budget_kb" \
  'BEGIN { printf "bundle: %.1f KB raw, %.1f KB gzip (budget %d KB gzip, %.0f%% used)\n", r/1024, g/1024, b, 100*g/(b*1024) }'
if [ "${1:-}" = "--check" ] && [ "$total_gz" -gt $((budget_kb * 1024)) ]; then
  die "bundle is over budget: $total_gz B gzip > ${budget_kb} KB"
fi
