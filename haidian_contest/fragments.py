"""Keys for template fragments cached under a digest of exactly what they show.

Django templates cost about 10 µs a variable; a project's history or timeline is hundreds of them on
every visit, though it changes a few times a year. A page reads its data as always, then renders
such a fragment inside `{% cache 86400 name digest %}` with `digest = fragment_digest(...)` of every
value the fragment prints. A change to any of them is a new key, so a cached fragment is never
stale, whatever process or path changed the data; an unchanged one is a cache hit.
"""

import hashlib


def fragment_digest(*parts) -> str:
    """A digest of `parts` by their repr: give it plain values (str, numbers, dates, tuples,
    dataclasses of those), not model instances, whose repr leaves fields out."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()
