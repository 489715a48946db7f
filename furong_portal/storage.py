"""Where uploaded files live, and how a non-public one reaches the person allowed to read it.

Every file field names a storage by its `STORAGES` alias, through a module-level function, so a
multi-server deployment swaps the backend in settings alone (an S3-compatible object store with
django-storages, see docs/deploy.md):

- `private`: everything that is not for everyone: attachments (public only once their item, or
  their 意见征集, is published), request answer letters (applicants' personal data), task evidence. On the file
  system it lives under PRIVATE_MEDIA_ROOT, which the web server never serves directly; its URLs
  point at `protected_file`, which checks who asks.
- `default`: MEDIA_ROOT; nothing sensitive is written there.

`file_response` sends a file after a view has checked permission: through nginx's
X-Accel-Redirect (PRIVATE_MEDIA_ACCEL_REDIRECT) or Apache/lighttpd's X-Sendfile
(PRIVATE_MEDIA_SENDFILE) when configured, so the worker does not stream it; by Django otherwise."""

import mimetypes
import os
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404, HttpResponse
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.http import content_disposition_header


def private_storage():
    """The storage of non-public files (`STORAGES["private"]`)."""
    return storages["private"]


@deconstructible
class PrivateFileSystemStorage(FileSystemStorage):
    """Files under PRIVATE_MEDIA_ROOT (read at every use, so tests may move it); their URL is
    the permission-checking view, never a path the web server serves."""

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        return reverse("protected-file", args=(name,))


def file_response(field_file, *, filename: str, as_attachment: bool = True, content_type: str | None = None):
    """The response that sends `field_file` (permission already checked by the caller)."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    accel, sendfile = settings.PRIVATE_MEDIA_ACCEL_REDIRECT, settings.PRIVATE_MEDIA_SENDFILE
    if (accel or sendfile) and isinstance(field_file.storage, FileSystemStorage):
        if not field_file.storage.exists(field_file.name):
            raise Http404("文件缺失。")
        response = HttpResponse(content_type=content_type)
        if accel:
            response["X-Accel-Redirect"] = accel.rstrip("/") + "/" + quote(field_file.name)
        else:
            response["X-Sendfile"] = field_file.path
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
        return response
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404("文件缺失。") from error
    return FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
