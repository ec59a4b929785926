"""On PostgreSQL: the COPY path, and two projects importing the same person at the same moment."""

import threading

import pytest
from django.db import connections

from rosters import pipeline, services
from rosters.models import Participant, RosterVersion
from tests.rosters.stages import make_roster_rows, upload_file, upload_roster, workbook_bytes

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]



def test_roster_is_copied_in(project, organizer):
    version = upload_roster(project, organizer, make_roster_rows(project, 2500))
    assert version.status == RosterVersion.Status.ACCEPTED
    assert Participant.objects.filter(version=version, is_current=True).count() == 2500


def test_the_same_person_uploaded_by_two_projects_at_once_is_accepted_once(project, organizer, other_project,
                                                                          other_organizer):
    ours = make_roster_rows(project, 50)
    theirs = make_roster_rows(other_project, 50, start=10_000)
    theirs[0].update(name=ours[0]["name"], id_number=ours[0]["id_number"])
    versions = [
        services.start_import(
            application=project, actor=organizer, uploaded_file=upload_file(workbook_bytes(ours)), kind="roster"
        ),
        services.start_import(
            application=other_project,
            actor=other_organizer,
            uploaded_file=upload_file(workbook_bytes(theirs)),
            kind="roster",
        ),
    ]
    start = threading.Barrier(2)

    def run(version):
        try:
            start.wait()
            pipeline.process(version.pk)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(v,)) for v in versions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(RosterVersion.objects.get(pk=v.pk).status for v in versions)
    assert statuses == ["accepted", "failed"]
