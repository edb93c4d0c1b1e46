#!/usr/bin/env bash
# Prints, for every page of the app (the page table, gongzhi_api::pages), the
# bytes a first visit with an empty cache fetches: index.html, the stylesheet,
# the main module (js + wasm), __wasm_split.js, the page's own chunk and the
# shared chunks it needs — brotli as the server sends it (precompressed), and
# gzip. With --check, fails when a budgeted page is over its budget (brotli):
#   GRID_WALK_BUDGET_KB  /grid/:id on the tablet          (default 247; issue 14's goal 250, met)
#   ADMISSION_BUDGET_KB  /admission, the reviewer's queue (default 190; issue 14's goal 350, met)
#   HOME_BUDGET_KB       /, the office's first page       (default 150; the goal 150, met)
#   RESIDENT_BUDGET_KB   /participation, a resident's first page on a phone,
#                        where signing in lands (default 149; issue 17's goal 150, met)
#   ROUND_BUDGET_KB      /participation/rounds/:id opened directly from a link
#                        (default 196; issue 17's goal 150 NOT met, see the history)
# Which files a page loads comes from pkg-<hash>/splits.json (scripts/split-wasm.sh).
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
# - Issue 14, route splitting: every page is a Leptos lazy route, split off by
#   wasm-split-cli into its own chunk (scripts/split-wasm.sh), files served
#   precompressed. The budgets are now per first visit of a page (brotli, as
#   served), not per bundle: what counts is what opening a page costs.
#   Measured: /grid/:id 305.2 KB br (366.2 gzip; before, the whole tablet
#   bundle: 457.5 gzip), /admission 237.5 br (281.6 gzip; before 527.0),
#   / 179.5 br (215.3 gzip; before 527.0). Budgets: grid walk 310 KB,
#   admission 350 KB (issue 14's goal, met), home 185 KB. The grid walk and
#   home page miss issue 14's goals (250, 150): the main module alone is
#   147 KB br (office) / 162 KB br (tablet) — the framework and every page's
#   constant data, which wasm-split leaves in the main module. Those two
#   budgets come down as the main module is cut; they never go up.
# - Issue 14, slimming the main module, step 1: the working-day calendar is
#   built when a calendar page first asks for it, not by the shell at start
#   (the shell keeps the server's answer as text and reads only its version
#   and reminder), so the schedules' parsing, chrono's date parser, the
#   working-day rules and the bundled holiday data moved into the calendar
#   pages' chunks. Office main module 147.5 -> 130.3 KB br (460.5 -> 397.4 KB
#   raw), tablet 162.0 -> 145.2 KB br. Measured: / 180.2 -> 163.0 KB br,
#   /admission 238.4 -> 229.5, /grid/:id 305.8 -> 292.4. Budgets: home 164,
#   admission 230, grid walk 293.
# - Step 2: the tablet's outbox keeps each request body as JSON text
#   (serde_json's RawValue, the `field` feature only) instead of a
#   serde_json::Value, and ignores the answer's body (IgnoredAny): Value's
#   parser, printer and maps left the tablet's main module (145.2 -> 142.5
#   KB br). Measured: /grid/:id 292.4 -> 290.9 KB br, /events/:id 230.2 ->
#   227.8, / and /admission unchanged (163.1, 229.6). Grid walk budget 291.
# - Issue 20: the 外部系统接口 page (Open311 keys, its own lazy route) adds
#   ~0.3 KB br to the office main module and more to the chunk loader; the
#   loader's page-list comments from wasm-split-cli are dropped
#   (scripts/split-wasm.sh; 1.9 KB br of the office loader's 5.6). Measured:
#   / 163.1 -> 161.6 KB br, /admission 229.6 -> 228.7, /grid/:id 290.9 ->
#   290.4, /open311-keys 232.7. Budgets unchanged.
# - Issue 21 (the seal catalogue in layers; its office page /seal-catalog):
#   measured as a route in each bundle, a new lazy route costs other pages'
#   first loads through wasm-split's shared chunks (each new combination of
#   pages that share code is a new small file): /seal-catalog as an office
#   route: /admission 229.5 -> 232.3, / 163.1 -> 163.8; as a tablet route
#   /grid/:id 292.3 -> 297.4. Two mechanisms paid for it and more:
#   wasm-opt-all.mjs strips each module's `producers` and `target_features`
#   custom sections (about 180 bytes raw per file, nearly incompressible
#   alone, ~100 files per page): / 163.8 -> 160.4, /admission 232.3 -> 218.3,
#   /grid/:id 297.4 -> 286.3; and the tablet's float formatting is done with
#   integer arithmetic (services/fixed.rs): core's float formatter left the
#   tablet (/events/:id 228.6 -> 214.9 with both, /grid/:id -> 282.7). The
#   seal form reads the catalogue from the server (it is now composed of
#   editions), so the catalogue's JSON left the tablet's main module.
# - Issues 15, 20 and 21 merged (two office pages more: /seal-catalog,
#   /open311-keys; the import's progress): / 158.6 KB br, /admission 216.8,
#   /grid/:id 281.8. The budgets come DOWN to what was measured: grid walk
#   291 -> 282, admission 230 -> 217, home 164 -> 159. Issue 14's goals still
#   missed: grid walk 250, home (a resident's page) 150.
# - Issue 15 (household imports as background jobs, the import page shows
#   the job's progress): first 291.2 KB br on /grid/:id (over); the page's
#   progress kept off the walk's first load (ARCHITECTURE.md, beside the
#   slimming steps' table): /grid/:id 290.8, / 163.1, /admission 229.6. Budgets unchanged.
# - Issue 14, fewer and larger files: the splitter groups the code pages
#   share by the first page that uses it (gongzhi-wasm-split --shared-order,
#   vendored in tools/): / 34 -> 7 files, /admission 129 -> 8, /grid/:id 84 -> 7;
#   the walk's cosine and coordinates without libm's and core's float code;
#   panic paths without the registry's prefix; the js minified (esbuild).
#   Measured: / 158.6 -> 149.4 KB br, /admission 216.8 -> 190.6, /grid/:id
#   281.8 -> 248.7. Budgets come DOWN: home 159 -> 150, admission 217 -> 191,
#   grid walk 282 -> 249. All three of issue 14's goals are met.
# - Issue 19 (facilities: five office pages). As five lazy route types they
#   cost every first load (each route type about 0.3 KB br of router code in
#   the main module): / 150.6, /admission 191.8, both over. Now the five are
#   one route type (FacilitiesPages picks the page by path), and so are the
#   admission form, file and print (AdmissionPages): / 149.6, /admission 190.9,
#   /grid/:id 248.7. Budgets unchanged. The price is on unbudgeted pages: a
#   reviewer's file (/admission/:id) now also loads the form, 270.5 -> 309.2.
# - Issue 17, the residents' bundle (dist/resident, 百姓定实事): the office's
#   / had 0.3 KB left and each route type costs every first load, so the
#   residents' pages (and the staff pages of a round, one route type) are a
#   third bundle. First build: /participation 166.9 KB br, a round 211.0, and
#   the office over (/ 149.8, /admission 191.1, /grid/:id 249.2: the page
#   table's new rows and the hand-over between three bundles). Mechanisms,
#   all bundles: the API reader is no longer generic (services/api.rs: only
#   the JSON parse is made per answer type; the status, error and calendar
#   handling once, about 6 KB raw less per answer type); dates on the wire
#   read without chrono's format parser (domain time::ymd); amounts shown
#   with whole-number arithmetic (money::yuan_text); bundle_of over a
#   constant table; the rounds page loads into a signal, not a resource; the
#   residents' bundle does not carry the working-day calendar. Measured:
#   / 149.2, /admission 189.7, /grid/:id 247.4, /participation 149.4,
#   /participation/rounds/:id 196.2; then the round's timeline dated by the
#   server (no time-zone code on the page): 195.7. Budgets come DOWN:
#   admission 191 -> 190, grid walk 249 -> 248; new: /participation 150
#   (met). A round opened directly (a shared link) misses issue 17's 150:
#   its main module alone is 125 KB br and the round's detail (proposals,
#   candidates, result, tally, deliveries, milestones, ratings) deserializes
#   in about 32 KB br of chunk; budget 196 so it cannot grow. Reached from the rounds page, it
#   costs its two chunks, about 55 KB br. The way down: the result and the
#   deliveries as chunks of their own, loaded for a counted round only.
# - Issue 18, 居民自治 (协商议事, 居务公开, 民主评议) in the residents' bundle:
#   first build with its pages as five routes of one type and the page table
#   grown by eight rows: /participation 149.8, a round 196.6 (over), / 149.3.
#   Then: every page of 居民自治 under one wildcard route; the navigation
#   reads a constant menu table (gongzhi_api::pages::MENU, derived by a
#   test) instead of scanning the page table and the capability catalogue,
#   which no main module carries any more. Measured: / 149.5, /admission
#   189.9, /grid/:id 246.1, /participation 149.1, a round 195.8. Budget comes
#   DOWN: grid walk 248 -> 247. One step-line component for a round and a
#   matter (and one shared notice) measured /admission 190.2 and a round
#   196.3, over: they stay two copies.
# - 民意调查 (issue 18), compiled into the residents' bundle only (in the office
#   build its dead code still moved /admission 190.0 → 190.3), and each
#   bundle's copy of the stylesheet pruned to the rules its pages can use
#   (scripts/prune-css.py: residents 22.4 → 15.7 KB raw, office 19.2, tablet
#   19.8). Measured: / 149.0, /admission 189.5, /grid/:id 245.8,
#   /participation 147.9, a round 194.8. Budget comes DOWN: a resident's
#   first page 150 -> 149.

source "$(dirname "$0")/lib.sh"
[ -f dist/index.html ] || die "dist/ is not built: run scripts/build-app.sh"
[ -f dist/field/index.html ] || die "dist/field/ is not built: run scripts/build-app.sh"
[ -f dist/resident/index.html ] || die "dist/resident/ is not built: run scripts/build-app.sh"
routes="$(mktemp)"
trap 'rm -f "$routes"' EXIT
cargo run --locked -q -p gongzhi-api --bin gongzhi-pages -- routes > "$routes"
budgets=("/grid/:id=${GRID_WALK_BUDGET_KB:-247}" "/admission=${ADMISSION_BUDGET_KB:-190}" "/=${HOME_BUDGET_KB:-150}"
  "/participation=${RESIDENT_BUDGET_KB:-149}" "/participation/rounds/:id=${ROUND_BUDGET_KB:-196}")
if [ "${1:-}" = "--check" ]; then
  python3 "$ROOT/scripts/first-load.py" dist "$routes" --check "${budgets[@]}" || die "a page's first load is over its budget"
else
  python3 "$ROOT/scripts/first-load.py" dist "$routes"
fi
