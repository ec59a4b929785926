"""Many finance requests at the same moment against PostgreSQL: exactly one payment goes out.

SQLite serialises every write, so only PostgreSQL (row locks, real concurrency) can show it.
Run with `make test-postgres` (TEST_DATABASE_URL set); skipped on SQLite.
"""

import threading
import uuid
from datetime import date

import pytest
from django.db import connections

from funding import services
from funding.models import LedgerEntry
from haidian_contest.workflow import State

from .stages import PAYEE_ACCOUNT, PAYEE_BANK

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 8



def fire(application, user, tokens):
    """Each thread has its own connection; they all call the service at the barrier."""
    barrier = threading.Barrier(len(tokens))
    outcomes: list[str] = []
    lock = threading.Lock()

    def worker(token):
        try:
            barrier.wait(timeout=30)
            services.release_tranche(
                application=application, number=1, actor=user, paid_on=date(2026, 6, 15), voucher_no="记-2026-0615-03",
                payee=services.Payee("中关村智造产业园工会联合会", PAYEE_BANK, PAYEE_ACCOUNT),
                amount=application.agreements.get().tranche_1_amount, idempotency_key=token,
            )
            result = "paid"
        except services.AlreadyPaid as exc:
            result = "refused: " + str(exc)
        except Exception as exc:  # anything else is a failure the assertion below must show
            result = f"error: {exc!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def _check(outcomes, application):
    assert outcomes.count("paid") == 1, outcomes
    refusals = [o for o in outcomes if o != "paid"]
    assert len(refusals) == THREADS - 1 and all("该笔资金已拨付" in o for o in refusals), refusals
    assert LedgerEntry.objects.filter(tranche__application=application).count() == 1
    application.refresh_from_db()
    assert application.status == State.IN_PROGRESS
    assert application.status_changes.filter(transition="pay_tranche_1").count() == 1


def test_parallel_releases_by_several_finance_users_pay_exactly_once(signed, finance):
    _check(fire(signed, finance, [uuid.uuid4() for _ in range(THREADS)]), signed)


def test_parallel_retries_of_one_form_pay_exactly_once(signed, finance):
    _check(fire(signed, finance, [uuid.uuid4()] * THREADS), signed)
