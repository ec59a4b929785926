from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.review_page, name="detail"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/waiver/", views.decide_waiver, name="waiver"),
    path("<int:pk>/save/", views.save, name="save"),
    path("<int:pk>/transition/", views.transition, name="transition"),
    path("<int:pk>/dates/", views.adjust_dates, name="adjust_dates"),
    path("collective/", views.collective, name="collective"),
    path("collective/<int:pk>/", views.collective_decide, name="collective_decide"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/add/", views.meeting_add, name="meeting_add"),
    path("meetings/<int:pk>/minutes.pdf", views.minutes, name="minutes"),
    path("meetings/<int:pk>/packet.pdf", views.packet_pdf, name="packet_pdf"),
    path("meetings/<int:pk>/packet.docx", views.packet_docx, name="packet_docx"),
    path("<int:pk>/notice/issue/", views.notice_issue, name="notice_issue"),
    path("<int:pk>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("<int:pk>/notice.docx", views.notice_docx, name="notice_docx"),
    path("items/<int:pk>/remove/", views.item_remove, name="item_remove"),
    path("items/<int:pk>/projection/", views.item_projection, name="item_projection"),
    path("items/<int:pk>/portfolio/", views.item_portfolio, name="item_portfolio"),
    path("items/<int:pk>/decide/", views.item_decide, name="item_decide"),
]
