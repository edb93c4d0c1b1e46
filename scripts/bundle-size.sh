#!/usr/bin/env bash
# Prints the release bundles' raw and gzip sizes; with --check, fails when a
# gzip total is over its budget (BUNDLE_BUDGET_KB, default 545, for the office
# bundle; FIELD_BUNDLE_BUDGET_KB, default 460, for the tablet bundle).
#
# Budget history (raise it only in a commit that says why):
# - 250 KB for the walking skeleton (measured 170 KB).
# - 350 KB when the accounts and audit pages landed (measured 294 KB after
#   type erasure (`erase_components`), one shared table component and
#   dropping chrono's strftime code from the browser build).
# - 360 KB with the seal pages (measured 346 KB). Each substantial page costs
#   about 25 KB gzip in a single Leptos CSR bundle; the way back under 250 KB
#   is route-level code splitting (Leptos lazy routes + wasm-split), which
#   Trunk 0.21 cannot build yet. It must come before many more pages.
# - 480 KB with the admission pages (measured 462 KB): queue, form, file with
#   every review step, printable 审批表, public catalogue — about +115 KB.
#   Twiggy shows no single large item (the largest, the step forms, is 29 KB
#   before compression); the cost is spread over views and serde shapes.
#   Route splitting is still not buildable with Trunk 0.21 (trunk-rs/trunk#1022
#   is open). The next step, before the grid pages (issue 6): build the
#   tablet's pages (grid, seal) as their own Trunk bundle, so the grid member
#   downloads neither the reviewers' nor the administrators' pages.
# - 530 KB with the funding pages (measured 504 KB): dashboard with SVG charts,
#   the department's ledger, payments and corrections (+40 KB). Same cause,
#   same remedy; the separate tablet bundle is now a prerequisite of issue 6.
# - 560 KB with the cleanup and purchase-of-services pages (measured 546 KB,
#   +42 KB). This is the last raise for office pages: the next pages must
#   come with the split (a tablet bundle for the grid pages, measured against
#   its own, much smaller budget).
# - The split: the street pages (seal, residents; later the grid) are also
#   built as the tablet bundle dist/field (gongzhi-field), served for those
#   paths. Measured 288 KB gzip (tablet) against 564 KB (office); tablet
#   budget 300 KB (FIELD_BUNDLE_BUDGET_KB). Building the app as a library
#   with two binaries costs the office bundle 8 KB (555.9 → 564.2 KB, both
#   measured): office budget 570 KB.
# - The grid walk (issue 6) in the tablet bundle: the SVG map, the due list,
#   visit and event forms, the outbox, the event pages and the imports
#   (+160 KB, measured 449 KB). The tablet now keeps its bundle through a
#   service worker, so only the first visit (or an update) downloads it;
#   a walk in the street starts from the tablet's own copy. Tablet budget
#   460 KB. Next step if it grows again: load the event and import pages
#   as a separate chunk.
# - Issue 13 (provisional deadlines, the 节假日安排 section, the calendar
#   refreshed on the server's version): +6 KB on the office bundle after
#   slimming (server-side check, no route of its own, a lighter DueState
#   deserializer). The seal and residents pages, which the office bundle also
#   carried, now live in the tablet bundle only (its fallback loads them from
#   the server, as for the grid walk): office measured at about 518 KB
#   against 569 KB before; budgets unchanged.
# - Issue 12 (security: the login code step, the authenticator enrolment
#   panel on the office password page only, sign-out that waits for the
#   network, per-person copies): office 527.0 KB, tablet 457.5 KB. The
#   office budget comes DOWN to 545 KB, so most of the room the seal/residents move
#   made is not spent silently.
source "$(dirname "$0")/lib.sh"
budget_kb="${BUNDLE_BUDGET_KB:-545}"
# The tablet bundle (dist/field): the street pages only, on its own budget.
field_budget_kb="${FIELD_BUNDLE_BUDGET_KB:-460}"
[ -f dist/index.html ] || die "dist/ is not built: run scripts/build-app.sh"
failed=0

# Prints one bundle's files and totals; remembers if it is over its budget.
measure() {
  local dir="$1" name="$2" budget="$3" total_raw=0 total_gz=0 raw gz
  printf '%s (%s)\n' "$name" "$dir"
  printf '%-44s %10s %10s\n' "file" "raw B" "gzip B"
  for f in "$dir"/*.html "$dir"/*.js "$dir"/*.wasm "$dir"/*.css; do
    [ -f "$f" ] || continue
    raw=$(wc -c < "$f"); gz=$(gzip -9 -c "$f" | wc -c)
    total_raw=$((total_raw + raw)); total_gz=$((total_gz + gz))
    printf '%-44s %10d %10d\n' "$(basename "$f")" "$raw" "$gz"
  done
  printf '%-44s %10d %10d\n' "TOTAL" "$total_raw" "$total_gz"
  awk -v n="$name" -v r="$total_raw" -v g="$total_gz" -v b="$budget" \
    'BEGIN { printf "%s: %.1f KB raw, %.1f KB gzip (budget %d KB gzip, %.0f%% used)\n", n, r/1024, g/1024, b, 100*g/(b*1024) }'
  if [ "$total_gz" -gt $((budget * 1024)) ]; then
    printf '%s is over budget: %d B gzip > %d KB\n' "$name" "$total_gz" "$budget" >&2
    failed=1
  fi
}
measure dist "bundle" "$budget_kb"
if [ -f dist/field/index.html ]; then
  echo
  measure dist/field "tablet bundle" "$field_budget_kb"
elif [ "${1:-}" = "--check" ]; then
  die "dist/field/ is not built: run scripts/build-app.sh"
fi
if [ "${1:-}" = "--check" ] && [ "$failed" -ne 0 ]; then
  die "a bundle is over its budget"
fi
