"""Files leave the system only through here: the project's visibility is checked on every download."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header

from accounts.permissions import role_required
from accounts.roles import Role

from . import exports
from .selectors import application_with_trades, get_application_for

ALL_ROLES = tuple(Role)


@role_required(*ALL_ROLES)
def attachment_download(request, pk, attachment_pk):
    application = get_application_for(request.user, pk)
    # Removed attachments stay downloadable: an earlier submitted version may list them.
    attachment = get_object_or_404(application.attachments, pk=attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("附件文件不存在。") from None
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name,
                        content_type=attachment.content_type)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@role_required(*ALL_ROLES)
def export_xlsx(request, pk):
    application = application_with_trades(get_application_for(request.user, pk))
    return _download(exports.application_xlsx(application), exports.XLSX_TYPE, exports.filename(application, "xlsx"))


@role_required(*ALL_ROLES)
def export_pdf(request, pk):
    application = application_with_trades(get_application_for(request.user, pk))
    return _download(exports.application_pdf(application, request), "application/pdf",
                     exports.filename(application, "pdf"))
