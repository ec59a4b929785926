"""The agreement number is user text: it names the download, never a path on disk."""

from datetime import date
from pathlib import Path

import pytest

from funding import services

from .stages import scan_upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("number", ["海工〔2026〕7/8号", "../../etc/HDZGH-2026-007"])
def test_an_agreement_number_with_a_slash_or_dots_stores_fine(approved, reviewer, settings, client, number):
    agreement = services.record_agreement(
        application=approved,
        actor=reviewer,
        number=number,
        signed_on=date(2026, 6, 10),
        union_role="co_host",
        scan=scan_upload(),
    )
    folder, _, stored = agreement.scan.name.rpartition("/")
    assert folder == f"funding/agreements/{approved.pk}" and stored.endswith(".pdf") and len(stored) == 36
    media = Path(settings.MEDIA_ROOT).resolve()
    assert Path(agreement.scan.path).resolve().parent == media / "funding" / "agreements" / str(approved.pk)
    client.force_login(reviewer)
    response = client.get(f"/funding/agreements/{agreement.pk}/scan/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
