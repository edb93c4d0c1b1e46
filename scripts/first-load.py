#!/usr/bin/env python3
"""First-load bytes of each page: what a browser with an empty cache fetches
to open it — the bundle's index.html, its stylesheet, the main module (js and
wasm), __wasm_split.js, the page's chunk and the shared chunks it needs —
in brotli (what the server sends a browser that accepts it) and gzip.

Usage: first-load.py DIST ROUTES_TSV [--check PATH=KB ...]
       first-load.py --manifest LOADER_JS > splits.json
ROUTES_TSV is `gongzhi-pages routes` (path, bundle, lazy route type).
With --check, exits 1 when a page's brotli total is over its budget.
--manifest reads the loader wasm-split writes (before it is minified) and
prints, for each page's split, the files it loads: scripts/split-wasm.sh
keeps that as pkg-<hash>/splits.json, which this script reads.
"""
import json
import gzip
import re
import sys
from pathlib import Path

def sizes(path: Path):
    raw = path.read_bytes()
    br = path.with_name(path.name + ".br")
    gz = path.with_name(path.name + ".gz")
    br_size = br.stat().st_size if br.exists() else None
    gz_size = gz.stat().st_size if gz.exists() else len(gzip.compress(raw, 9))
    return len(raw), br_size, gz_size


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


class Bundle:
    def __init__(self, root: Path, public: str):
        self.root = root
        pkgs = sorted(root.glob("pkg-*"))
        if len(pkgs) != 1:
            sys.exit(f"{root}: expected one pkg-<hash>/ folder, found {len(pkgs)}")
        self.pkg = pkgs[0]
        html = (root / "index.html").read_text(encoding="utf-8")
        css = [root / Path(h).name for h in re.findall(r'href="?([^" >]+\.css)', html)]
        main = [p for p in self.pkg.glob("*.js") if p.name != "__wasm_split.js"] + list(self.pkg.glob("*_bg.wasm"))
        self.base = [root / "index.html", *css, self.pkg / "__wasm_split.js", *main]
        self.splits = json.loads((self.pkg / "splits.json").read_text(encoding="utf-8"))

    def files_for(self, route: str):
        key = f"__{snake(route)}_view_"
        hits = [n for n in self.splits if n.startswith(key)]
        if len(hits) != 1:
            return None
        return self.base + [self.pkg / f for f in self.splits[hits[0]]]

    def all_files(self):
        files = [self.root / "index.html", *self.root.glob("*.css"), *self.pkg.iterdir()]
        return [p for p in files if p.is_file() and p.suffix in (".html", ".js", ".wasm", ".css")]


def manifest(loader: str):
    """{split name: [the files it loads]} from wasm-split's unminified loader."""
    chunks = {}
    for m in re.finditer(r'const (__chunk_\d+) = makeLoad\(\(\) => \{\s*const src = \w+\(new URL\("\./([^"]+)"', loader):
        chunks[m.group(1)] = m.group(2)
    splits = {}
    for m in re.finditer(r"export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\((.*?)\]\)\);", loader, re.S):
        name, body = m.group(1), m.group(2)
        own = re.findall(r'new URL\("\./([^"]+)"', body.split("}, [")[0])
        deps = re.findall(r"__chunk_\d+", body.rsplit("[", 1)[-1])
        splits[name] = own + [chunks[d] for d in deps if d in chunks]
    if not splits:
        sys.exit("no __wasm_split_load_… in the loader: its shape changed")
    return splits


def total(files):
    raw = br = gz = 0
    for f in files:
        r, b, g = sizes(f)
        raw += r
        gz += g
        br += b if b is not None else g
    return raw, br, gz


def main():
    if sys.argv[1] == "--manifest":
        print(json.dumps(manifest(Path(sys.argv[2]).read_text(encoding="utf-8")), indent=1, sort_keys=True))
        return
    dist = Path(sys.argv[1])
    routes = [l.split("\t") for l in Path(sys.argv[2]).read_text().splitlines() if l.strip()]
    budgets = {}
    if "--check" in sys.argv:
        for spec in sys.argv[sys.argv.index("--check") + 1:]:
            path, kb = spec.split("=")
            budgets[path] = int(kb)
    bundles = {
        "Office": Bundle(dist, "/"),
        "Field": Bundle(dist / "field", "/field/"),
        "Resident": Bundle(dist / "resident", "/resident/"),
    }
    failed = False
    print(f"{'first visit of':28} {'bundle':7} {'files':>5} {'raw KB':>8} {'br KB':>7} {'gzip KB':>8}  budget")
    for path, bundle, route in routes:
        for name in (list(bundles) if bundle == "Every" else [bundle]):
            files = bundles[name].files_for(route)
            if files is None:
                print(f"{path:28} {name:7} no chunk found for {route}", file=sys.stderr)
                failed = True
                continue
            raw, br, gz = total(files)
            note = ""
            if path in budgets:
                kb = budgets[path]
                over = br > kb * 1024
                note = f"{kb} KB{'  OVER' if over else ''}"
                failed |= over
            print(f"{path:28} {name:7} {len(files):5d} {raw/1024:8.1f} {br/1024:7.1f} {gz/1024:8.1f}  {note}")
    for name, b in bundles.items():
        raw, br, gz = total(b.all_files())
        print(f"all of the {name.lower()} bundle: {len(b.all_files())} files, {raw/1024:.1f} KB raw, {br/1024:.1f} KB br, {gz/1024:.1f} KB gzip")
    sys.exit(1 if failed and budgets else 0)


main()
