"""Sections that later stages add to the project page, without applications importing them.

Each later app registers a panel in its AppConfig.ready(): a template and a function that returns
that template's context for (request, application), or None to hide the panel for this user.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: Callable  # (request, application) -> dict | None
    order: int = 100


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def render_context(request, application) -> list[dict]:
    out = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        ctx = panel.context(request, application)
        if ctx is not None:
            out.append({"key": panel.key, "title": panel.title, "template": panel.template, "context": ctx})
    return out
