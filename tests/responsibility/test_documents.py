"""Reading circulated documents: typesetting is removed, .docx keeps its table rows."""

import io

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from responsibility.documents import docx_text, printed_line_clean
from tasks.plan_text import plan_text_parse
from tests.tasks.plan_editions import seed_edition


def docx_upload(text: str, name: str = "要点.docx") -> SimpleUploadedFile:
    """`text` as a Word document: a paragraph per line, tab-separated lines as a table."""
    document = docx.Document()
    rows: list[list[str]] = []

    def flush():
        if rows:
            width = max(map(len, rows))
            table = document.add_table(rows=len(rows), cols=width)
            for row, cells in zip(table.rows, rows, strict=True):
                for cell, value in zip(row.cells, cells, strict=False):
                    cell.text = value
            rows.clear()

    for line in text.split("\n"):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        flush()
        document.add_paragraph(line)
    flush()
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(
        name, buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )


@pytest.mark.parametrize(
    ("printed", "issued"),
    [
        ("（国务院令 第 711 号）", "（国务院令第711号）"),
        ("通过手机 APP 定向推送", "通过手机APP定向推送"),
        ("(十三)加大公共卫生", "（十三）加大公共卫生"),
        ("等信息;突发事件发生时,主管部门", "等信息；突发事件发生时，主管部门"),
        ("Open Data 平台", "Open Data平台"),
        ("1,000 元", "1,000元"),
    ],
)
def test_typesetting_is_removed_and_chinese_punctuation_restored(printed, issued):
    assert printed_line_clean(printed) == issued


def test_docx_of_the_seed_reads_as_the_seed_text():
    parsed_docx = plan_text_parse(docx_text(docx_upload(seed_edition())))
    parsed_text = plan_text_parse(seed_edition())
    assert parsed_docx == parsed_text
    assert parsed_docx.attachment_lines[1].split("\t")[:3] == ["一", "政府信息公开指南", "芙蓉区政府信息公开指南"]


def test_a_file_that_is_not_docx_is_refused_in_words():
    with pytest.raises(ValidationError, match="无法读取"):
        docx_text(SimpleUploadedFile("要点.docx", b"not a zip file"))
