"""Keys for template fragments cached under a digest of exactly what they show.

Django templates cost about 10 µs a variable; a project's history or timeline is hundreds of them on
every visit, though it changes a few times a year. A page reads its data as always, then renders
such a fragment inside `{% cache 86400 name digest %}` with `digest = fragment_digest(...)` of every
value the fragment prints. A change to any of them is a new key, so a cached fragment is never
stale, whatever process or path changed the data; an unchanged one is a cache hit.
"""

import dataclasses
import hashlib
from pathlib import Path

from django.utils.functional import Promise


def fragment_digest(*parts) -> str:
    """A digest of `parts`: plain values (str, numbers, dates, Decimal, None), lists, tuples, dicts and
    dataclasses of those; lazy translations count by their text. A value whose repr is its memory
    address (a model instance, a form) is refused: it would make a new key on every request."""
    text = repr(_plain(parts))
    if " at 0x" in text:
        raise ValueError("fragment_digest: 请只传入取值（字符串、数字、日期），不要传入对象：" + text[:200])
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _plain(value):
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, (list, tuple)):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return tuple((repr(k), _plain(v)) for k, v in value.items())
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tuple((f.name, _plain(getattr(value, f.name))) for f in dataclasses.fields(value)))
    return value


def release_digest(base_dir: Path) -> str:
    """A digest of the project's templates and Python sources: the fragment cache's key prefix
    (settings), so that a release that changes a template, or a label printed from Python, never
    serves the HTML its previous version cached in Redis."""
    packages = [p.parent for p in base_dir.glob("*/__init__.py") if p.parent.name != "tests"]
    files = [*base_dir.glob("templates/**/*.html")]
    for package in packages:
        files += [*package.glob("**/*.py"), *package.glob("**/*.html")]
    h = hashlib.blake2b(digest_size=8)
    for path in sorted(set(files)):
        h.update(str(path.relative_to(base_dir)).encode())
        h.update(path.read_bytes())
    return h.hexdigest()
