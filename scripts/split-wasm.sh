#!/usr/bin/env bash
# Trunk's post_build hook (Trunk.toml): builds one bundle's wasm, splits it at
# its lazy routes and writes the loader into the page Trunk staged.
#
# Trunk 0.21 cannot split wasm (trunk-rs/trunk#1022), so Trunk only stages the
# page and the stylesheet; this script does the rest, for `trunk build` and
# `trunk serve` alike:
#   1. cargo build (wasm-release) with --emit-relocs, which wasm-split needs;
#      RUSTFLAGS replaces .cargo/config.toml's rustflags, so erase_components
#      is repeated here;
#   2. gongzhi-wasm-split (wasm-split-cli vendored in tools/ with --shared-order)
#      splits the raw module: the main module, one split_*.wasm per lazy
#      page, chunk_*.wasm for code several pages share (one per page that
#      first uses it), and __wasm_split.js, which loads them;
#   3. wasm-bindgen --target web --keep-lld-exports on the main module;
#   4. wasm-opt -Oz (binaryen from npm, never Debian's) on every part, in one
#      process (scripts/wasm-opt-all.mjs), and the js minified (esbuild);
#   5. the files go to pkg-<hash>/ (one hash for the set: __wasm_split.js
#      imports ./<name>.js by name), and the page gets the loader script.
# __wasm_split.js fetches chunks with a fetch that never fails: when a chunk
# cannot be fetched it shows 重试 and waits (app/chunk-fetch.js), because a
# failed chunk load panics the whole app (TOOLCHAIN.md).
source "$(dirname "$0")/lib.sh"

staging="${TRUNK_STAGING_DIR:?run by Trunk as its post_build hook}"
case "$(basename "${TRUNK_HTML_FILE:?}")" in
  index.html) bin=gongzhi-app feature=office ;;
  field.html) bin=gongzhi-field feature=field ;;
  resident.html) bin=gongzhi-resident feature=resident ;;
  *) die "split-wasm.sh: unknown page $TRUNK_HTML_FILE" ;;
esac
public_url="${TRUNK_PUBLIC_URL:-/}"

# Panic locations name source files: the registry's and this checkout's
# prefixes are dropped (`leptos_router-0.8.17/src/…`), about 65 bytes of
# path each, in every module (issue 14).
remap="--remap-path-prefix=$ROOT/="
for dir in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do remap="$remap --remap-path-prefix=$dir="; done
RUSTFLAGS="--cfg erase_components -Clink-args=--emit-relocs $remap" \
  cargo build --locked --profile wasm-release --target wasm32-unknown-unknown \
  -p gongzhi-app --bin "$bin" --no-default-features --features "$feature"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Shared code is grouped by the first page that uses it, in the page table's
# split order (the budgeted first pages first): one shared chunk per page, not
# one per combination of pages (tools/wasm-split-cli/GONGZHI.md).
order="$(cargo run --locked -q -p gongzhi-api --bin gongzhi-pages -- split-order "$feature")"
gongzhi-wasm-split "$CARGO_TARGET_DIR/wasm32-unknown-unknown/wasm-release/$bin.wasm" "$work/split" \
  --out-name "$bin" --target web --shared-order "$order"
wasm-bindgen "$work/split/$bin.wasm" --target web --keep-lld-exports --no-demangle --no-typescript \
  --out-dir "$work/pkg" --out-name "$bin"
cp "$work"/split/split_*.wasm "$work/pkg/" 2>/dev/null || true
cp "$work"/split/chunk_*.wasm "$work/pkg/" 2>/dev/null || true
# wasm-opt -Oz on every part, in one node process (hundreds of chunks).
node "$ROOT/scripts/wasm-opt-all.mjs" "$work"/pkg/*.wasm 2> >(grep -v 'unknown name subsection' >&2)
# The loader: every chunk through the fetch that waits and retries.
grep -q 'fetch(new URL(' "$work/split/__wasm_split.js" || die "__wasm_split.js has no fetch(new URL(…)): wasm-split-cli changed"
# wasm-split-cli also writes, beside each chunk, a comment naming every page
# that uses it: 300 comments, nearly half the file (1.9 KB of 5.6 KB br on
# every first load, issue 20). They are dropped; nothing reads them.
{
  cat "$ROOT/app/chunk-fetch.js"
  sed -E -e 's/fetch\(new URL\(/gongzhiFetchChunk(new URL(/g' \
    -e 's#/\* (__[a-z0-9_]+_[0-9]+(, )?)+ \*/##g' "$work/split/__wasm_split.js"
} > "$work/pkg/__wasm_split.js"
if grep -q '/\* __' "$work/pkg/__wasm_split.js"; then
  die "__wasm_split.js still has wasm-split-cli's page-list comments: their shape changed"
fi

# Which files each page loads, for scripts/bundle-size.sh (read from the
# loader before it is minified; the browser never fetches this file).
python3 "$ROOT/scripts/first-load.py" --manifest "$work/pkg/__wasm_split.js" > "$work/splits.json"
# The js (wasm-bindgen's glue and the loader) minified: every first visit
# loads both (esbuild from npm; issue 14: about 2 KB br off each first load).
# The glue names one import module several times in an object literal, as
# wasm-bindgen writes it; esbuild warns of that and keeps its meaning.
for js in "$work"/pkg/*.js; do
  esbuild --minify --format=esm --log-level=error "$js" > "$js.min" && mv "$js.min" "$js"
done

hash=$(cat "$work"/pkg/* | sha256sum | cut -c1-16)
pkg="pkg-$hash"
rm -rf "${staging:?}"/pkg-*
mkdir -p "$staging/$pkg"
cp "$work"/pkg/*.js "$work"/pkg/*.wasm "$work/splits.json" "$staging/$pkg/"

base="${public_url%/}/$pkg"
loader="<script type=\"module\">import init from '$base/$bin.js';init({module_or_path:'$base/${bin}_bg.wasm'});</script>"
hints="<link rel=\"modulepreload\" href=\"$base/$bin.js\"><link rel=\"modulepreload\" href=\"$base/__wasm_split.js\"><link rel=\"preload\" as=\"fetch\" type=\"application/wasm\" crossorigin href=\"$base/${bin}_bg.wasm\">"
python3 - "$staging/index.html" "$loader$hints" <<'EOF'
import sys
path, tags = sys.argv[1], sys.argv[2]
html = open(path, encoding="utf-8").read()
assert "</head>" in html, "no </head> in " + path
open(path, "w", encoding="utf-8").write(html.replace("</head>", tags + "</head>", 1))
EOF
log "Split $bin: $(ls "$staging/$pkg" | wc -l) files in $pkg"
