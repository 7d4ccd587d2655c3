"""Uploads over the size limit are counted, not kept: once a file passes
``settings.LIBRARY_MAX_UPLOAD_BYTES`` (the largest file the platform accepts), the rest of its bytes
are read from the request and dropped instead of being written to a temporary file, and the form
or API that receives it gets an empty file that reports its full size, which it refuses with its
usual message ("This file is 61.2 MB; the largest file accepted is 50.0 MB")."""

import io

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizedUpload(UploadedFile):
    """What is left of a file too large to keep: its name, type and size, no content."""

    def __init__(self, name, content_type, size, charset):
        super().__init__(io.BytesIO(), name, content_type, size, charset)


class SizeLimitUploadHandler(FileUploadHandler):
    """First of the upload handlers: passes each file's bytes on to the next handlers until the
    file passes the limit, then only counts them."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        self.oversized = False

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.LIBRARY_MAX_UPLOAD_BYTES:
            self.oversized = True
        return None if self.oversized else raw_data

    def file_complete(self, file_size):
        if not self.oversized:
            return None  # the next handler's file
        return OversizedUpload(self.file_name, self.content_type, self.received, self.charset)
