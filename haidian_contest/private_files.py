"""Where uploads are stored: generated names, no file outliving a rolled-back transaction, and encryption.

Three rules for every file the app writes, wherever it is kept: settings.STORAGES["default"] is
``TransactionalStorage`` and STORAGES["encrypted"] ``EncryptedStorage`` (a folder, MEDIA_STORAGE=local) or
their S3 counterparts in haidian_contest.s3_storage (MEDIA_STORAGE=s3, for several machines):

- The stored name never contains user text: ``stored_name`` gives ``folder/<uuid><.ext>``; the uploader's
  file name is kept in the database as a display/download name only. (An agreement number "A/B" used to
  create a folder; "../x" was refused with a bare 400.)
- A file written inside a database transaction that is rolled back is deleted: the upload of a failed
  service leaves no personal data behind. See ``_Pending``.
- Files holding ID numbers (roster and winners workbooks, their annotated error copies) use
  ``EncryptedStorage``: AES-GCM on disk, decrypted only when opened by a permission-checked view or the
  import (haidian_contest.crypto).
"""

import logging
import os
import re
import shutil
import tempfile
import uuid
from contextlib import contextmanager
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.dispatch import receiver
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, empty

from . import crypto

log = logging.getLogger(__name__)
_SUFFIX = re.compile(r"\.[a-z0-9]{1,8}")


def safe_suffix(filename: str, default: str = "") -> str:
    """The extension of a user's file name if it is a plain one (".xlsx"), else ``default``."""
    suffix = PurePath(str(filename or "").replace("\\", "/")).suffix.lower()
    return suffix if _SUFFIX.fullmatch(suffix) else default


def stored_name(folder: str, filename: str = "", *, suffix: str | None = None) -> str:
    """``folder/<random>.ext``: what every upload_to returns. ``folder`` is built from ids and fixed words only."""
    ext = safe_suffix(filename) if suffix is None else suffix
    return f"{folder.strip('/')}/{uuid.uuid4().hex}{ext}"


class _Pending:
    """Deletes a just-written file unless the transaction it was written in commits.

    Django has no rollback hook, but it does keep on-commit callbacks in a list that a rollback (of the
    transaction or of the savepoint the file was written under) empties. This object is such a callback:
    run at commit, it marks the file kept; dropped by a rollback, it is freed at once (CPython frees an
    object when its last reference goes) and deletes the file. One place, used by every upload.
    """

    def __init__(self, storage, name):
        self.storage, self.name, self.kept = storage, name, False

    def __call__(self):
        self.kept = True

    def __del__(self):
        if self.kept:
            return
        try:
            self.storage.delete(self.name)
        except Exception:  # noqa: BLE001 - a finaliser must not raise
            log.exception("could not delete %s after a rollback", self.name)


class TransactionalMixin:
    """Writes inside a transaction disappear with the transaction's rollback (any storage backend)."""

    def _save(self, name, content):
        saved = super()._save(name, content)
        connection = connections[DEFAULT_DB_ALIAS]
        if connection.in_atomic_block:
            transaction.on_commit(_Pending(self, saved))
        return saved


class EncryptedMixin:
    """Files with personal information: encrypted before they reach the backend, decrypted on open.
    What the backend holds (a file on disk, an object in a bucket) is only ever the ciphertext."""

    def _save(self, name, content):
        if hasattr(content, "seek"):
            content.seek(0)
        data = content.read()
        if isinstance(data, str):
            data = data.encode()
        return super()._save(name, ContentFile(crypto.keyring().encrypt_bytes(data)))

    def read_raw(self, name) -> bytes:
        """The stored bytes, still encrypted."""
        with super()._open(name, "rb") as handle:
            return handle.read()

    def _open(self, name, mode="rb"):
        return ContentFile(crypto.keyring().decrypt_bytes(self.read_raw(name)), name=name)

    def rotate(self, name) -> bool:
        """Re-encrypt under the first key; False if it already was. The new ciphertext replaces the old
        in one step (``_replace``), so an interrupted run leaves the old or the new file, never half of one."""
        ring = crypto.keyring()
        raw = self.read_raw(name)
        if ring.file_is_current(raw):
            return False
        plain = ring.decrypt_bytes(raw) if crypto.is_encrypted_file(raw) else raw
        self._replace(name, ring.encrypt_bytes(plain))
        return True


class TransactionalStorage(TransactionalMixin, FileSystemStorage):
    """FileSystemStorage whose writes inside a transaction disappear with the transaction's rollback."""


@deconstructible(path="haidian_contest.private_files.EncryptedStorage")
class EncryptedStorage(EncryptedMixin, TransactionalStorage):
    """Encrypted files in a folder. ``path()`` gives the encrypted file: read through ``open()`` or
    ``decrypted_copy()``."""

    def _replace(self, name, data: bytes) -> None:
        replace_file(self.path(name), data)


def replace_file(path: str, data: bytes) -> None:
    directory = os.path.dirname(path)
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".rotate-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


class _ConfiguredEncryptedStorage(LazyObject):
    """STORAGES["encrypted"], looked up when first used (like Django's default_storage), so a model
    field holds it from import time and still follows MEDIA_STORAGE and a test's override of STORAGES."""

    def _setup(self):
        self._wrapped = storages["encrypted"]


_ENCRYPTED = _ConfiguredEncryptedStorage()


def encrypted_storage():
    """The storage of files holding ID numbers (the ``storage=`` of their FileFields)."""
    return _ENCRYPTED


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        _ENCRYPTED._wrapped = empty


@contextmanager
def local_path(field_file):
    """A path on this machine to a stored (unencrypted) file, for the readers that need one (ffprobe):
    the file itself in a folder, a private temporary copy (deleted when the block ends) from a bucket."""
    try:
        here = field_file.path
    except NotImplementedError:
        here = None
    if here is not None:
        yield here
        return
    fd, path = tempfile.mkstemp(suffix=safe_suffix(field_file.name), prefix="media-")
    try:
        with os.fdopen(fd, "wb") as handle, field_file.open("rb") as source:
            shutil.copyfileobj(source, handle)
        yield path
    finally:
        os.unlink(path)


@contextmanager
def decrypted_copy(field_file):
    """A plain copy of an encrypted upload in a private temporary file (mode 0600), for the readers that
    need a path (calamine); deleted when the block ends, whatever happens."""
    suffix = safe_suffix(field_file.name, ".xlsx")
    with field_file.open("rb") as source:
        data = source.read()
    fd, path = tempfile.mkstemp(suffix=suffix, prefix="pii-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        yield path
    finally:
        os.unlink(path)
