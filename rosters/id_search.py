"""Searching by a full ID number without the number ever being in a URL (issue 25).

A URL ends up in gunicorn's and nginx's access logs, the browser's history and the Referer of the next
page. So the search boxes that take ID numbers post their form; the view answers with a redirect to an
address that carries, instead of the number, an opaque token (`?id=`): the number encrypted under
PII_ENCRYPTION_KEYS, a fresh nonce each time. The page then stays an ordinary GET: paginated, safe to
reload, the same on every node. A number typed into a GET address by hand is sent on at once to such
an address (the access log format drops query strings, deploy/gunicorn.conf.py, so that request left
no number either).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpResponseRedirect

from haidian_contest import crypto
from haidian_contest.rules.people import mask_id_number, normalize_id

PARAM = "id"
# Fifteen digits in a row are an ID number (the old 15-digit card, or most of an 18-digit one), whatever
# else was typed around them: such text never goes into a URL.
ID_LIKE = re.compile(r"[0-9]{15}")
# Keeps a token from being anything but a search: a column's ciphertext pasted as ?id= decrypts to no search.
_PURPOSE = "id-search:"


def holds_id_number(text: str) -> bool:
    return bool(ID_LIKE.search(normalize_id(text or "")))


def seal(text: str) -> str:
    return crypto.encrypt(_PURPOSE + normalize_id(text).strip())


def unseal(token: str) -> str | None:
    """The number a token was made from; None for a token that is not one (edited, or from a key since removed)."""
    try:
        text = crypto.decrypt(token or "")
    except crypto.DecryptionError:
        return None
    return text[len(_PURPOSE):] if text.startswith(_PURPOSE) else None


@dataclass(frozen=True)
class Search:
    """What a search page's GET asks for."""

    text: str | None  # what to look for; None for a token that does not open (it finds nobody)
    token: str = ""  # the token it came from, kept as it is in the page's own links

    @property
    def by_id(self) -> bool:
        return bool(self.token)

    @property
    def box(self) -> str:
        """What the search box shows again: never the number."""
        return "" if self.by_id else (self.text or "")

    @property
    def masked(self) -> str:
        return mask_id_number(self.text) if self.by_id and self.text else ""

    def query_string(self, **others) -> str:
        """The page's own links (pagination) carry the same search and the other filters."""
        if self.token:
            items = [(PARAM, self.token)]
        else:
            items = [("q", self.text)] if self.text else []
        return urlencode(items + [(k, v) for k, v in others.items() if v not in ("", None)])


def searched(request) -> Search:
    if PARAM in request.GET:
        return Search(unseal(request.GET[PARAM]), token=request.GET[PARAM])
    return Search(request.GET.get("q", "").strip())


def must_be_sealed(request) -> bool:
    """A GET whose address holds an ID number (typed by hand, an old bookmark): send it on sealed."""
    return PARAM not in request.GET and holds_id_number(request.GET.get("q", ""))


def redirect_to_search(request, *, q: str, status: int = 303, **others) -> HttpResponseRedirect:
    """To this page as a GET, the query sealed when it holds an ID number. 303 after the form's POST,
    so that a reload repeats the GET and never resubmits."""
    items = [(k, v) for k, v in others.items() if v not in ("", None)]
    q = (q or "").strip()
    if q:
        items.insert(0, (PARAM, seal(q)) if holds_id_number(q) else ("q", q))
    response = HttpResponseRedirect(request.path + (f"?{urlencode(items)}" if items else ""))
    response.status_code = status
    return response
