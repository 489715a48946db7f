import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from disclosure.demo import demo_files
from disclosure.uploads import OLE2_SIGNATURE, validate_attachment

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
OLE2_DOC = OLE2_SIGNATURE + b"\x00" * 504


def upload(name, content):
    return SimpleUploadedFile(name, content)


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def message(error: ValidationError) -> str:
    return " ".join(error.messages)


@pytest.mark.parametrize("extension", ["pdf", "docx", "xlsx"])
def test_real_office_and_pdf_files_pass_and_report_their_type(extension):
    content, mime = demo_files()[extension]
    assert validate_attachment(upload(f"通知.{extension.upper()}", content)) == mime


def test_legacy_office_file_is_recognised_by_its_ole2_signature():
    assert validate_attachment(upload("报表.xls", OLE2_DOC)) == "application/vnd.ms-excel"
    assert validate_attachment(upload("文件.wps", OLE2_DOC)) == "application/vnd.ms-works"


def test_images_and_archives_pass():
    assert validate_attachment(upload("照片.png", PNG)) == "image/png"
    assert validate_attachment(upload("材料.zip", zipped({"a.txt": b"a"}))) == "application/zip"


def test_opendocument_and_ofd_are_recognised_inside_the_zip():
    odt = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
    assert validate_attachment(upload("文件.odt", odt)) == "application/vnd.oasis.opendocument.text"
    assert validate_attachment(upload("公文.ofd", zipped({"OFD.xml": b"<ofd:OFD/>"}))) == "application/ofd"


def test_executable_renamed_to_pdf_is_rejected():
    with pytest.raises(ValidationError) as error:
        validate_attachment(upload("通知.pdf", b"MZ\x90\x00" + b"\x00" * 200))
    assert "内容不是扩展名所示的 PDF 文件" in message(error.value)


def test_plain_zip_renamed_to_docx_is_rejected():
    with pytest.raises(ValidationError) as error:
        validate_attachment(upload("通知.docx", zipped({"a.txt": b"a"})))
    assert error.value.code == "attachment_content"


def test_xlsx_renamed_to_docx_is_rejected():
    with pytest.raises(ValidationError):
        validate_attachment(upload("通知.docx", demo_files()["xlsx"][0]))


def test_png_renamed_to_doc_is_rejected():
    with pytest.raises(ValidationError):
        validate_attachment(upload("通知.doc", PNG))


@pytest.mark.parametrize("name", ["脚本.exe", "页面.html", "脚本.js", "无扩展名", "图.svg"])
def test_disallowed_extensions_are_rejected_in_chinese(name):
    with pytest.raises(ValidationError) as error:
        validate_attachment(upload(name, b"anything"))
    assert "不支持的附件类型" in message(error.value)


def test_empty_file_is_rejected():
    with pytest.raises(ValidationError) as error:
        validate_attachment(upload("空.pdf", b""))
    assert "空文件" in message(error.value)


def test_file_over_the_size_limit_is_rejected(settings):
    settings.ATTACHMENT_MAX_SIZE = 100
    content, _ = demo_files()["pdf"]
    with pytest.raises(ValidationError) as error:
        validate_attachment(upload("大文件.pdf", content))
    assert "超过了 100\xa0字节的上限" in message(error.value)


def test_the_file_is_left_at_its_start_for_saving():
    content, _ = demo_files()["docx"]
    uploaded = upload("通知.docx", content)
    validate_attachment(uploaded)
    assert uploaded.read() == content
