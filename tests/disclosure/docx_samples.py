"""Word documents for the import tests, written with python-docx: a heading, two
paragraphs with bold text, a list, a table and a PNG image."""

import io
import struct
import zlib

from docx import Document
from docx.shared import Cm


def png_bytes(width: int = 8, height: int = 8, rgb: tuple[int, int, int] = (164, 22, 26)) -> bytes:
    """A valid PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def sample_docx(*, image: bool = True, title: str = "关于开展政务公开检查的通知") -> bytes:
    document = Document()
    document.add_heading(title, level=1)
    paragraph = document.add_paragraph("各街道、区直各有关单位：")
    paragraph = document.add_paragraph("现就")
    paragraph.add_run("政务公开检查").bold = True
    paragraph.add_run("有关事项通知如下。")
    document.add_paragraph("检查范围为全区政府网站。", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "时间", "内容"
    table.cell(1, 0).text, table.cell(1, 1).text = "6月", "自查"
    if image:
        document.add_picture(io.BytesIO(png_bytes()), width=Cm(2))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
