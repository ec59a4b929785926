from .documents import notice_docx, notice_issue, notice_pdf, packet_docx, packet_pdf
from .feasibility import adjust_dates, decide_waiver, queue, review_page, save, start, transition
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
    "queue", "review_page", "start", "decide_waiver", "save", "transition", "adjust_dates",
    "collective", "collective_decide", "meetings", "meeting", "meeting_add", "item_remove", "item_projection", "item_portfolio",
    "item_decide", "minutes",
    "packet_pdf", "packet_docx", "notice_issue", "notice_pdf", "notice_docx",
]
