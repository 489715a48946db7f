"""Checks on attachment uploads: size, allowed kinds, and the real type of the content.

The extension alone proves nothing (a renamed .exe is still an .exe), so every
upload's first bytes are read: `filetype` recognises PDF, images and archives;
office documents are checked by their container's signature: OLE2 for the
legacy .doc/.xls/.ppt (and WPS's .wps/.et/.dps), a zip with the right
`[Content_Types].xml` part for OOXML, the `mimetype` entry for OpenDocument and
`OFD.xml` for OFD (GB/T 33190-2016, the national layout format).
"""

from __future__ import annotations

import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

DEFAULT_MAX_SIZE = 50 * 1024 * 1024
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

OLE2 = "ole2"
OOXML_WORD, OOXML_SHEET, OOXML_SLIDES = "word/", "xl/", "ppt/"
ODF = "odf"
OFD = "ofd"

# extension -> (how its content is recognised, MIME type recorded for the attachment)
ALLOWED = {
    "pdf": ("pdf", "application/pdf"),
    "doc": (OLE2, "application/msword"),
    "xls": (OLE2, "application/vnd.ms-excel"),
    "ppt": (OLE2, "application/vnd.ms-powerpoint"),
    "wps": (OLE2, "application/vnd.ms-works"),
    "et": (OLE2, "application/vnd.ms-excel"),
    "dps": (OLE2, "application/vnd.ms-powerpoint"),
    "docx": (OOXML_WORD, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": (OOXML_SHEET, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": (OOXML_SLIDES, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odt": (ODF, "application/vnd.oasis.opendocument.text"),
    "ods": (ODF, "application/vnd.oasis.opendocument.spreadsheet"),
    "odp": (ODF, "application/vnd.oasis.opendocument.presentation"),
    "ofd": (OFD, "application/ofd"),
    "jpg": ("jpg", "image/jpeg"),
    "jpeg": ("jpg", "image/jpeg"),
    "png": ("png", "image/png"),
    "gif": ("gif", "image/gif"),
    "webp": ("webp", "image/webp"),
    "bmp": ("bmp", "image/bmp"),
    "tif": ("tif", "image/tiff"),
    "tiff": ("tif", "image/tiff"),
    "zip": ("zip", "application/zip"),
    "rar": ("rar", "application/vnd.rar"),
    "7z": ("7z", "application/x-7z-compressed"),
    "gz": ("gz", "application/gzip"),
}
KIND_LABELS = "PDF、Word/Excel/PowerPoint（含 WPS、OpenDocument）、OFD、图片（JPG/PNG/GIF/WebP/BMP/TIFF）、压缩包（ZIP/RAR/7Z/GZ）"


def max_attachment_size() -> int:
    return getattr(settings, "ATTACHMENT_MAX_SIZE", DEFAULT_MAX_SIZE)


def _zip_names(uploaded_file) -> list[str] | None:
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _zip_member(uploaded_file, name: str, limit: int = 200) -> bytes:
    with zipfile.ZipFile(uploaded_file) as archive:
        with archive.open(name) as member:
            return member.read(limit)


def _content_matches(uploaded_file, head: bytes, expected: str, extension: str) -> bool:
    if expected == OLE2:
        return head.startswith(OLE2_SIGNATURE)
    if expected in (OOXML_WORD, OOXML_SLIDES, OOXML_SHEET, ODF, OFD):
        if not head.startswith(b"PK\x03\x04"):
            return False
        names = _zip_names(uploaded_file)
        if names is None:
            return False
        if expected == OFD:
            return "OFD.xml" in names
        if expected == ODF:
            wanted = ALLOWED[extension][1].encode()
            return "mimetype" in names and _zip_member(uploaded_file, "mimetype").strip() == wanted
        return "[Content_Types].xml" in names and any(name.startswith(expected) for name in names)
    kind = filetype.guess(head)
    return kind is not None and kind.extension == expected


def validate_attachment(uploaded_file) -> str:
    """Raise ValidationError (in Chinese) unless the upload is an allowed kind of file of
    allowed size whose content is what its extension says; return its MIME type."""
    name = getattr(uploaded_file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(
            "不支持的附件类型“%(extension)s”。允许上传：%(kinds)s。",
            code="attachment_type",
            params={"extension": extension or "无扩展名", "kinds": KIND_LABELS},
        )
    size = uploaded_file.size
    if not size:
        raise ValidationError("附件“%(name)s”是空文件。", code="attachment_empty", params={"name": name})
    if size > max_attachment_size():
        raise ValidationError(
            "附件“%(name)s”大小为 %(size)s，超过了 %(limit)s的上限。",
            code="attachment_size",
            params={"name": name, "size": filesizeformat(size), "limit": filesizeformat(max_attachment_size())},
        )
    expected, mime = ALLOWED[extension]
    uploaded_file.seek(0)
    head = uploaded_file.read(8192)
    try:
        matches = _content_matches(uploaded_file, head, expected, extension)
    finally:
        uploaded_file.seek(0)
    if not matches:
        raise ValidationError(
            "附件“%(name)s”的内容不是扩展名所示的 %(extension)s 文件，可能已损坏或被改名，请核对后重新上传。",
            code="attachment_content",
            params={"name": name, "extension": extension.upper()},
        )
    return mime
