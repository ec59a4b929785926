from .feasibility import decide_waiver, queue, review_page, save, start, transition
from .party import (
    collective,
    collective_decide,
    item_decide,
    item_portfolio,
    item_projection,
    item_remove,
    meeting,
    meeting_add,
    meetings,
    minutes,
)

__all__ = [
    "queue", "review_page", "start", "decide_waiver", "save", "transition",
    "collective", "collective_decide", "meetings", "meeting", "meeting_add", "item_remove", "item_projection", "item_portfolio",
    "item_decide", "minutes",
]
