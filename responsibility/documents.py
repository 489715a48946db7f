"""Reading the documents the district office receives: .docx to plain text, and the
typesetting a printed or converted notice adds to its text.

The seed (fixtures/source) shows what a notice looks like once it has been copied out
of its PDF or Word file: page breaks cut paragraphs, half-width brackets and commas
appear on some pages, and a space is set around Latin letters and digits
("国务院令 第 711 号", "手机 APP"). The stored text is the text as issued, without them."""

import re
import zipfile

from django.core.exceptions import ValidationError

# A character of Chinese text: CJK ideographs and the full-width punctuation around them.
_WIDE = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’《》〈〉〔〕…—]"
_SPACE_AFTER_WIDE = re.compile(rf"(?<={_WIDE})[ \u3000]+")
_SPACE_BEFORE_WIDE = re.compile(rf"[ \u3000]+(?={_WIDE})")
_HALF_WIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"}
_HALF_NEXT_TO_WIDE = re.compile(rf"(?<={_WIDE})[,;:()?!]|[,;:()?!](?={_WIDE})")


def printed_line_clean(line: str) -> str:
    """One line of Chinese text as issued: no typesetting spaces, full-width punctuation.
    A space between two Latin words ("Open Data") is kept."""
    line = line.strip().replace("\u00a0", " ")
    line = _SPACE_AFTER_WIDE.sub("", line)
    line = _SPACE_BEFORE_WIDE.sub("", line)
    # Twice: "(十三)" has a bracket on each side of the same run of wide characters,
    # and a bracket next to a converted bracket is next to a wide character too.
    for _ in range(2):
        line = _HALF_NEXT_TO_WIDE.sub(lambda match: _HALF_WIDTH[match.group()], line)
    return line


DOCX_MAX_SIZE = 10 * 1024 * 1024
TEXT_MAX_LENGTH = 500_000


def uploaded_text(upload) -> str:
    """The text of an uploaded .docx or .txt (UTF-8, or GB18030 as Chinese Windows saves it)."""
    name = (upload.name or "").lower()
    if name.endswith(".docx"):
        return docx_text(upload)
    if not name.endswith(".txt"):
        raise ValidationError("只能上传 .docx 或 .txt 文件；.doc、.wps 请先另存为 .docx。")
    if upload.size > TEXT_MAX_LENGTH * 4:
        raise ValidationError("文件过大，请确认上传的文件无误。")
    content = upload.read()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError("无法识别文件的文字编码，请另存为 UTF-8 文本或 .docx。")


def docx_text(uploaded_file) -> str:
    """The text of a .docx in reading order: a line per paragraph, a line per table row
    with its cells separated by tabs (the shape of the seed's table).

    python-docx rather than mammoth: a 责任分解表 is a Word table, and python-docx gives
    its rows and cells as they are, where mammoth's raw text flattens cells into
    paragraphs and its HTML would have to be parsed back."""
    from docx import Document  # a heavy import only the import pages need
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table

    if uploaded_file.size > DOCX_MAX_SIZE:
        raise ValidationError("文件超过 10 MB，请确认上传的是工作要点或责任分解表。")
    try:
        document = Document(uploaded_file)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ValidationError("无法读取该 .docx 文件，请确认它是 Word 2007 及以上版本保存的文档。") from error
    lines = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        else:
            lines.append(block.text)
    return "\n".join(lines)


def _table_lines(table):
    """A line per row. A cell merged across columns is kept once; a cell merged down
    across rows is printed on its first row only, as the seed prints its headings."""
    above: list = []
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if not cells or cell._tc is not cells[-1]._tc:
                cells.append(cell)
        yield "\t".join(
            "" if index < len(above) and cell._tc is above[index]._tc else " ".join(cell.text.split("\n"))
            for index, cell in enumerate(cells)
        )
        above = cells
