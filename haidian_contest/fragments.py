"""Keys for template fragments cached under a digest of exactly what they show.

Django templates cost about 10 µs a variable; a project's history or timeline is hundreds of them on
every visit, though it changes a few times a year. A page reads its data as always, then renders
such a fragment inside `{% cache 86400 name digest %}` with `digest = fragment_digest(...)` of every
value the fragment prints. A change to any of them is a new key, so a cached fragment is never
stale, whatever process or path changed the data; an unchanged one is a cache hit.
"""

import hashlib
from pathlib import Path


def fragment_digest(*parts) -> str:
    """A digest of `parts` by their repr: give it plain values (str, numbers, dates, tuples,
    dataclasses of those), not model instances, whose repr leaves fields out."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def templates_digest(base_dir: Path) -> str:
    """A digest of the project's template sources: the fragment cache's key prefix (settings), so that
    a release that changes a template never serves the HTML its previous version cached in Redis."""
    h = hashlib.blake2b(digest_size=8)
    for path in sorted([*base_dir.glob("templates/**/*.html"), *base_dir.glob("*/templates/**/*.html")]):
        h.update(str(path.relative_to(base_dir)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()
