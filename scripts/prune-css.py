#!/usr/bin/env python3
"""Drops from a built bundle's stylesheet the rules none of its pages can use.

Usage: prune-css.py DIST      (dist, dist/field or dist/resident)

The stylesheet (style/main.css) is shared by the three bundles and is in every
first load, but no bundle uses all of it: the residents' bundle about half
(the grid map, the admission forms and the funding charts are not its
pages), the office bundle not the walk, the tablet not the admission forms. A rule is kept
unless one of the classes it needs can appear nowhere in the bundle: a class
is possibly used when its name is in the built files (index.html, the JS
glue, every wasm module and chunk — view! class literals are stored there) or
a prefix of it ending in `-` is (`format!("badge badge-{kind}")` leaves
`badge badge-`). Rules without classes (elements, ids, :root) stay, and so
do @font-face and @keyframes. Within a selector list only the parts that can
match are kept; an empty @media block goes.

The file is written under a new content hash and index.html's link (href and
the SRI integrity hash Trunk wrote) follows it, so a browser never pairs a
cached stylesheet with another build.
"""

import base64
import hashlib
import re
import sys
from pathlib import Path


def blocks(css: str):
    """Top-level items: (prelude, body) for a block, (text, None) for a statement."""
    out, i, n = [], 0, len(css)
    while i < n:
        j = i
        while j < n and css[j] not in '{;}':
            if css[j] in '"\'':
                q = css[j]
                j += 1
                while j < n and css[j] != q:
                    j += 2 if css[j] == '\\' else 1
            j += 1
        if j >= n:
            if css[i:].strip():
                out.append((css[i:], None))
            break
        if css[j] == ';':
            out.append((css[i:j + 1], None))
            i = j + 1
            continue
        if css[j] == '}':
            i = j + 1
            continue
        depth, k = 1, j + 1
        while k < n and depth:
            if css[k] in '"\'':
                q = css[k]
                k += 1
                while k < n and css[k] != q:
                    k += 2 if css[k] == '\\' else 1
            elif css[k] == '{':
                depth += 1
            elif css[k] == '}':
                depth -= 1
            k += 1
        out.append((css[i:j], css[j + 1:k - 1]))
        i = k
    return out


def split_selectors(prelude: str):
    parts, depth, cur = [], 0, ''
    for ch in prelude:
        if ch in '([':
            depth += 1
        elif ch in ')]':
            depth -= 1
        if ch == ',' and depth == 0:
            parts.append(cur)
            cur = ''
        else:
            cur += ch
    parts.append(cur)
    return parts


def prune(css: str, used) -> str:
    out = []
    for prelude, body in blocks(css):
        if body is None:
            out.append(prelude)
            continue
        head = prelude.strip()
        if head.startswith('@media') or head.startswith('@supports') or head.startswith('@layer'):
            inner = prune(body, used)
            if inner.strip():
                out.append(f'{head}{{{inner}}}')
        elif head.startswith('@'):
            out.append(f'{head}{{{body}}}')
        else:
            # A class inside :not() is not needed for the part to match.
            keep = [p for p in split_selectors(head)
                    if all(used(c) for c in re.findall(r'\.([A-Za-z_][\w-]*)', re.sub(r':not\([^)]*\)', '', p)))]
            if keep:
                out.append(f'{",".join(keep)}{{{body}}}')
    return ''.join(out)


def main() -> None:
    dist = Path(sys.argv[1])
    html_path = dist / 'index.html'
    html = html_path.read_text()
    m = re.search(r'<link href=(\S+?\.css) integrity=(\S+) rel=stylesheet>', html)
    if not m:
        sys.exit(f'{html_path}: no stylesheet link of the expected form')
    href, integrity = m.group(1), m.group(2)
    css_path = dist / Path(href).name
    css = css_path.read_text()
    text = html.encode()
    # The bundle's own files only: the office bundle's folder also holds the
    # other two bundles' folders.
    own = [*dist.glob('*.js'), *(f for pkg in dist.glob('pkg-*') for f in pkg.rglob('*'))]
    for f in own:
        if f.suffix in ('.wasm', '.js') and f.is_file():
            text += f.read_bytes()

    seen = {}

    def used(name: str) -> bool:
        if name not in seen:
            b = name.encode()
            prefixes = [b[:i + 1] for i, c in enumerate(b) if c == ord('-') and i >= 2]
            seen[name] = b in text or any(p in text for p in prefixes)
        return seen[name]

    pruned = prune(css, used)
    digest = hashlib.sha256(pruned.encode()).hexdigest()[:16]
    new_path = dist / f'main-{digest}.css'
    css_path.unlink()
    new_path.write_text(pruned)
    sri = 'sha384-' + base64.b64encode(hashlib.sha384(pruned.encode()).digest()).decode()
    new_href = href.rsplit('/', 1)[0] + '/' + new_path.name
    html = html.replace(f'<link href={href} integrity={integrity} rel=stylesheet>',
                        f'<link href={new_href} integrity={sri} rel=stylesheet>')
    html_path.write_text(html)
    print(f'{dist}: stylesheet {len(css)} → {len(pruned)} bytes ({new_path.name})')


if __name__ == '__main__':
    main()
