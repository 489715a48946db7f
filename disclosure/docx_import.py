"""Import a Word document (.docx) as an item's body.

Government staff write in Word. mammoth turns the document's structure (headings,
paragraphs, lists, tables, bold/italic, links) into clean HTML, ignoring Word's
visual formatting; the result goes through the same allow-list as anything typed
(disclosure.sanitize). Headings move down one level: the page's title is its only h1.

Images become attachments of the item (checked like any upload) and appear inline
in the body at their place, served by the public attachment address. An image in a
format browsers cannot show (EMF/WMF drawings) is left out and reported.

The import has two steps: `docx_preview` converts without writing anything, and
`item_body_import_docx` writes the body and the images in one transaction."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import mammoth
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from . import services
from .models import Item
from .sanitize import sanitize_html

MAX_DOCX_SIZE = 20 * 1024 * 1024
STYLE_MAP = """
p[style-name='Title'] => h2:fresh
p[style-name='heading 1'] => h2:fresh
p[style-name='heading 2'] => h3:fresh
p[style-name='heading 3'] => h4:fresh
p[style-name='标题 1'] => h2:fresh
p[style-name='标题 2'] => h3:fresh
p[style-name='标题 3'] => h4:fresh
"""
IMAGE_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/bmp": "bmp", "image/webp": "webp"}


@dataclass
class DocxImage:
    number: int
    content_type: str
    data: bytes
    alt: str

    @property
    def extension(self) -> str | None:
        return IMAGE_EXTENSIONS.get(self.content_type)


@dataclass
class DocxConversion:
    html: str
    images: list[DocxImage] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def skipped_images(self) -> list[DocxImage]:
        return [image for image in self.images if image.extension is None]


def _convert(data: bytes, image_src) -> DocxConversion:
    """Convert `data`; `image_src(image)` gives each usable image's address."""
    if len(data) > MAX_DOCX_SIZE:
        raise ValidationError(f"Word 文档不能超过 {MAX_DOCX_SIZE // 1024 // 1024} MB。")
    conversion = DocxConversion(html="")

    def convert_image(image):
        with image.open() as stream:
            docx_image = DocxImage(len(conversion.images) + 1, image.content_type, stream.read(), image.alt_text or "")
        conversion.images.append(docx_image)
        if docx_image.extension is None:
            return {}  # no src: the sanitizer drops nothing useful, the image is reported
        return {"src": image_src(docx_image), "alt": docx_image.alt or f"图{docx_image.number}"}

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data), style_map=STYLE_MAP, convert_image=mammoth.images.img_element(convert_image)
        )
    except Exception as error:  # a damaged or non-Word file: mammoth raises many kinds
        raise ValidationError("无法读取该文件，请确认是 Word 2007 及以后版本保存的 .docx 文档。") from error
    conversion.html = sanitize_html(result.value)
    if not conversion.html.strip() and not conversion.images:
        raise ValidationError("该 Word 文档没有正文内容。")
    for image in conversion.skipped_images:
        conversion.messages.append(f"第 {image.number} 张图片为 {image.content_type} 格式，网页无法显示，已略去；请在 Word 中另存为 PNG 或 JPG 后作为附件上传。")
    return conversion


def docx_preview(data: bytes) -> DocxConversion:
    """What the import would make, without writing anything: images are shown as
    numbered placeholders until they are saved."""
    return _convert(data, lambda image: f"#docx-image-{image.number}")


@transaction.atomic
def item_body_import_docx(*, actor, item: Item, data: bytes, file_name: str = "") -> Item:
    """Replace the body of `item` with the document's content; its images become
    attachments shown inline. Checks the actor like every edit (services.item_update)."""

    def save_image(image: DocxImage) -> str:
        upload = ContentFile(image.data, name=f"正文图{image.number}.{image.extension}")
        attachment = services.attachment_add(actor=actor, item=item, file=upload, name=upload.name)
        return reverse("disclosure:attachment", args=(attachment.pk,))

    conversion = _convert(data, save_image)
    comment = f"从 Word 文档“{file_name}”导入正文" if file_name else "从 Word 文档导入正文"
    return services.item_update(actor=actor, item=item, data={"body": conversion.html}, comment=comment)
