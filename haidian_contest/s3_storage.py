"""Uploads in an S3-compatible bucket (MEDIA_STORAGE=s3): the same rules as the folder, on django-storages.

Each machine of an installation reads and writes the same bucket, so a file uploaded through one web
server is there for the worker and every other web server. The bucket is private: objects are written
without an ACL (so they take the bucket's, which must not be public), and ``url()`` never signs one —
every download streams through a permission-checked view, as from the folder.
"""

from django.conf import settings
from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

from .private_files import EncryptedMixin, TransactionalMixin


class _PrivateS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        # Like the folder's: a path no route serves. A presigned URL would hand out the file without
        # the permission check.
        return f"{settings.MEDIA_URL}{name}"


@deconstructible(path="haidian_contest.s3_storage.S3TransactionalStorage")
class S3TransactionalStorage(TransactionalMixin, _PrivateS3Storage):
    """A bucket whose writes inside a transaction disappear with the transaction's rollback."""


@deconstructible(path="haidian_contest.s3_storage.S3EncryptedStorage")
class S3EncryptedStorage(EncryptedMixin, S3TransactionalStorage):
    """Files with personal information in the bucket, encrypted before upload (AES-GCM, the app's keys):
    the bucket holds ciphertext only, whatever its own encryption."""

    def _replace(self, name, data: bytes) -> None:
        # One PUT: the object is the old or the new ciphertext, never half of one.
        key = self._normalize_name(clean_name(name))
        self.bucket.Object(key).put(Body=data, ContentType="application/octet-stream")
