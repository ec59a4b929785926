"""Sections that later stages add to the project page, without applications importing them.

Each later app registers a panel in its AppConfig.ready(): a template, a function that returns that
template's context for (request, application) or None to hide it for this user, and the tab of the
project page it belongs to. The page lists a tab when one of its panels is `shown` (a check on the
project's state and the user's role, with no query); the panels' contexts are computed only when
their tab is opened, so the project page does not pay for every stage's reads on every visit.
"""

from collections.abc import Callable
from dataclasses import dataclass


def _always(user, application) -> bool:
    return True


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: Callable  # (request, application) -> dict | None
    order: int = 100
    tab: str = ""  # the tab's key; "" = a tab of its own, named by the panel's key and title
    tab_title: str = ""
    shown: Callable = _always  # (user, application) -> bool, without queries

    @property
    def tab_key(self) -> str:
        return self.tab or self.key


@dataclass(frozen=True)
class Tab:
    key: str
    title: str


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def _ordered():
    return sorted(_PANELS.values(), key=lambda p: p.order)


def tabs(user, application) -> list[Tab]:
    """The later stages' tabs this user may open for this project, in the order of their panels."""
    out: dict[str, Tab] = {}
    for panel in _ordered():
        if panel.tab_key not in out and panel.shown(user, application):
            out[panel.tab_key] = Tab(panel.tab_key, panel.tab_title or panel.title)
    return list(out.values())


def render_context(request, application, *, tab: str | None = None) -> list[dict]:
    """The panels (of `tab`, or all) with their contexts; a panel whose context is None is left out."""
    out = []
    for panel in _ordered():
        if tab is not None and panel.tab_key != tab:
            continue
        if not panel.shown(request.user, application):
            continue
        ctx = panel.context(request, application)
        if ctx is not None:
            out.append({"key": panel.key, "title": panel.title, "template": panel.template, "context": ctx})
    return out
