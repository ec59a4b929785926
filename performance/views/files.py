"""Uploaded files, served only to users who may see the project (404 otherwise, like the project)."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from accounts.permissions import role_required
from accounts.roles import Role

from ..models import AuditMaterials, AuditPhoto, EventDocument, SupervisionPhoto
from .common import project

ALL_ROLES = tuple(Role)


# Types a browser may show in the page. Anything else is downloaded: an upload named "x.html" must
# never be rendered as a page of this site, whatever it contains.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/tiff", "application/pdf"}
FORMAT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "TIFF": "image/tiff", "WebP": "image/webp"}


def _serve(field, filename: str, *, inline: bool = False, content_type: str | None = None) -> FileResponse:
    if not field:
        raise Http404("文件不存在")
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    content_type = content_type or mimetypes.guess_type(filename or field.name)[0] or "application/octet-stream"
    if content_type not in INLINE_TYPES:
        inline = False
    response = FileResponse(handle, as_attachment=not inline, filename=filename or PurePath(field.name).name,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=300"
    return response


@role_required(*ALL_ROLES)
def photo_file(request, pk, photo_id):
    application = project(request, pk)
    photo = get_object_or_404(AuditPhoto, application=application, pk=photo_id)
    return _serve(photo.file, photo.original_name, inline=True, content_type=FORMAT_TYPES.get(photo.image_format))


@role_required(*ALL_ROLES)
def photo_thumbnail(request, pk, photo_id):
    application = project(request, pk)
    photo = get_object_or_404(AuditPhoto, application=application, pk=photo_id)
    if not photo.thumbnail:
        raise Http404("缩略图尚未生成")
    return _serve(photo.thumbnail, f"thumb_{photo.pk}.jpg", inline=True, content_type="image/jpeg")


@role_required(*ALL_ROLES)
def document_file(request, pk, document_id):
    application = project(request, pk)
    document = get_object_or_404(EventDocument, application=application, pk=document_id)
    return _serve(document.file, document.original_name)


@role_required(*ALL_ROLES)
def stamped_file(request, pk):
    application = project(request, pk)
    materials = get_object_or_404(AuditMaterials, application=application)
    return _serve(materials.stamped_report, materials.stamped_report_name or "竞赛总结报告.pdf")


@role_required(*ALL_ROLES)
def video_file(request, pk):
    application = project(request, pk)
    materials = get_object_or_404(AuditMaterials, application=application)
    return _serve(materials.video_file, materials.video_name)


@role_required(*ALL_ROLES)
def supervision_photo(request, pk, photo_id):
    application = project(request, pk)
    photo = get_object_or_404(SupervisionPhoto, visit__application=application, pk=photo_id)
    return _serve(photo.file, photo.original_name, inline=True)
