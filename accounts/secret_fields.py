"""Which columns hold a secret: what no admin list, filter, search, ordering or form may show or test.

A secret is anything that lets its reader act as someone (a TOTP key, a session, a registration link),
recover it (a password hash, a keyed hash of an ID number) or read what is stored only encrypted.
Models are named by label, so that this list imports no app; `accounts.admin_site` enforces it on
every ModelAdmin, and a field whose name looks like a secret but appears in neither list is treated
as one until it is classified here (tests/accounts/test_admin_secrets.py fails on it).
"""

import re

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models.constants import LOOKUP_SEP

SECRET_FIELDS = {
    "accounts.User": {"password"},
    "accounts.UnitRegistration": {"email_token_hash"},  # the confirmation link's token, hashed
    "otp_totp.TOTPDevice": {"key"},
    "sessions.Session": {"session_key", "session_data"},
    "axes.AccessLog": {"session_hash"},
    "rosters.Participant": {"id_hash", "personal_encrypted"},
    "rosters.FirstPrizeRecord": {"id_hash", "id_number_encrypted"},
    "performance.Survey": {"token"},  # the questionnaire's only key
}

# Names that look like a secret and are not one, with the reason.
NOT_SECRET = {
    "accounts.User": {"password_changed_at"},  # a date
    "accounts.RateCounter": {"key"},  # which limit and address is counted (registration-rate:<ip>)
    "applications.PerformanceTarget": {"key"},  # which target (participants, hours…), from the rules
    "review.WaiverDecision": {"finding_key"},  # which rule finding was waived
    "funding.LedgerEntry": {"idempotency_key"},  # a form's replay guard, useless once paid
    "rosters.Objection": {"text_digest"},  # detects a resubmitted text, which is stored in clear anyway
}

LOOKS_SECRET = re.compile(r"(^|_)(key|token|secret|salt)($|_)|password|hash|digest|encrypt|cipher")


def _label(model) -> str:
    return model._meta.label


def is_secret(model, name: str) -> bool:
    label = _label(model)
    if name in SECRET_FIELDS.get(label, ()):
        return True
    return bool(LOOKS_SECRET.search(name)) and name not in NOT_SECRET.get(label, ())


def unclassified_fields() -> list[str]:
    """Concrete columns of installed models that look like a secret and are in neither list."""
    found = []
    for model in apps.get_models():
        label = _label(model)
        classified = SECRET_FIELDS.get(label, set()) | NOT_SECRET.get(label, set())
        for field in model._meta.concrete_fields:
            for name in {field.name, field.attname}:
                if LOOKS_SECRET.search(name) and name not in classified:
                    found.append(f"{label}.{name}")
    return sorted(set(found))


def reaches_secret(model, path: str) -> bool:
    """Whether a field path as the admin writes it (`user__password`, `key__startswith`) ends on a
    secret column: followed across relations, stopping at the first part that is not a field."""
    for part in path.split(LOOKUP_SEP):
        if part == "pk":
            part = model._meta.pk.name
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False
        if is_secret(model, field.name) or is_secret(model, getattr(field, "attname", field.name)):
            return True
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
    return False


def secret_columns(model) -> list[str]:
    """The model's own secret columns (the admin tests try each)."""
    return [f.name for f in model._meta.concrete_fields if is_secret(model, f.name)]
