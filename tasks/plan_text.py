"""The text of a 政务公开工作要点 notice, read into its parts.

The seed (芙政办发〔2020〕13号, fixtures/source) is the format: the issuing notice (版头,
发文字号, title, 主送机关, body, issuer, date), the plan's title and preamble, sections
"一、…", points "（一）…" whose text may close with a clause naming the units
("（区数据资源中心牵头，…负责）"), "附件：…" and, optionally, the attached
责任分解表. Parsing writes nothing; `tasks.plan_import` previews and writes."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError

from responsibility.documents import printed_line_clean

_NUMERALS = "一二三四五六七八九十"
_DOC_NUMBER = re.compile(r"^\S{1,20}〔\d{4}〕\d+号$")
_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_PRINTED_ON = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日印发$")
_SECTION = re.compile(rf"^([{_NUMERALS}]{{1,3}})、(.+)$")
_POINT = re.compile(rf"^（([{_NUMERALS}]{{1,3}})）(.+)$")
_ATTACHMENT = re.compile(r"^附件[：:](.+)$")
_YEAR = re.compile(r"(\d{4})年")
_TITLE_PLAN = re.compile(r"《(.+?)》")
# The role words that close each group of a units clause (tasks.services.units_clause_parse).
_CLAUSE_END = re.compile(r"(?:牵头|负责|落实)$")


def chinese_numeral_value(numeral: str) -> int:
    """一 → 1, 十 → 10, 十三 → 13, 二十 → 20, 二十一 → 21."""
    if "十" not in numeral:
        return _NUMERALS.index(numeral) + 1
    tens, _, ones = numeral.partition("十")
    return (_NUMERALS.index(tens) + 1 if tens else 1) * 10 + (_NUMERALS.index(ones) + 1 if ones else 0)


@dataclass
class ParsedPoint:
    number: int
    title: str
    text: str
    units_clause: str


@dataclass
class ParsedSection:
    number: str
    order: int
    title: str
    points: list[ParsedPoint] = field(default_factory=list)


@dataclass
class ParsedPlan:
    header: str
    doc_number: str
    title: str
    addressees: str
    notice_text: str
    issuer: str
    issued_on: date
    printed_on: date
    plan_title: str
    preamble: str
    attachment_title: str
    year: int
    sections: list[ParsedSection]
    # The attachment's lines after its title (the 责任分解表), for responsibility.table_import.
    attachment_lines: list[str] = field(default_factory=list)

    @property
    def points(self) -> list[ParsedPoint]:
        return [point for section in self.sections for point in section.points]


def _date(match) -> date:
    try:
        return date(*map(int, match.groups()))
    except ValueError as error:
        raise ValidationError(f"日期“{match.group()}”不存在。") from error


def point_split(number: int, text: str) -> ParsedPoint:
    """Title (the first sentence) and the closing units clause of a point's text."""
    title = text.split("。", 1)[0]
    units_clause = ""
    if text.endswith("）"):
        depth = 0
        for index in range(len(text) - 1, -1, -1):
            depth += {"）": 1, "（": -1}.get(text[index], 0)
            if depth == 0:
                candidate = text[index + 1 : -1]
                if _CLAUSE_END.search(candidate):
                    units_clause = candidate
                break
    return ParsedPoint(number=number, title=title, text=text, units_clause=units_clause)


def plan_text_parse(text: str) -> ParsedPlan:
    """Read the notice's text. Raises ValidationError, in words the office understands,
    when a part the plan needs cannot be found."""
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    lines = [cleaned for cleaned in map(printed_line_clean, raw_lines) if cleaned]
    if not lines:
        raise ValidationError("文件中没有文字。")

    doc_index = next((i for i, line in enumerate(lines) if _DOC_NUMBER.match(line)), None)
    if doc_index is None:
        raise ValidationError("找不到发文字号（形如“芙政办发〔2021〕8号”的一行）。")
    addressee_index = next((i for i in range(doc_index + 1, len(lines)) if lines[i].endswith("：")), None)
    date_index = next(
        (i for i in range(doc_index + 1, len(lines)) if _DATE.match(lines[i])), None
    )
    if addressee_index is None or date_index is None or not addressee_index < date_index - 1:
        raise ValidationError("找不到通知的主送机关（以“：”结尾的一行）、发文机关和成文日期。")
    first_section = next((i for i in range(date_index + 1, len(lines)) if _SECTION.match(lines[i])), None)
    if first_section is None or first_section < date_index + 2:
        raise ValidationError("找不到工作要点的标题、导语和第一个板块（形如“一、……”的一行）。")

    title = "".join(lines[doc_index + 1 : addressee_index])
    plan_title = lines[date_index + 1]
    year_match = _YEAR.search(plan_title) or _YEAR.search(lines[doc_index])
    sections, attachment_title, attachment_at = _body_parse(lines, first_section)
    issued_on = _date(_DATE.match(lines[date_index]))
    printed = next((_PRINTED_ON.match(line) for line in reversed(lines) if _PRINTED_ON.match(line)), None)
    return ParsedPlan(
        header="".join(lines[:doc_index]),
        doc_number=lines[doc_index],
        title=title,
        addressees=lines[addressee_index].removesuffix("："),
        notice_text="".join(lines[addressee_index + 1 : date_index - 1]),
        issuer=lines[date_index - 1],
        issued_on=issued_on,
        printed_on=_date(printed) if printed else issued_on,
        plan_title=plan_title,
        preamble="".join(lines[date_index + 2 : first_section]),
        attachment_title=attachment_title,
        year=int(year_match.group(1)) if year_match else issued_on.year,
        sections=sections,
        attachment_lines=_attachment_lines(raw_lines) if attachment_at is not None else [],
    )


def _body_parse(lines: list[str], start: int) -> tuple[list[ParsedSection], str, int | None]:
    """Sections and points from `start` to the "附件：" line. A line that starts neither
    a section nor a point continues the point before it: a page break cut it."""
    sections: list[ParsedSection] = []
    pieces: list[tuple[ParsedSection, int, list[str]]] = []  # per point: section, number, text pieces
    attachment, attachment_at = None, None
    for index in range(start, len(lines)):
        line = lines[index]
        if attachment := _ATTACHMENT.match(line):
            attachment_at = index
            break
        if section := _SECTION.match(line):
            sections.append(ParsedSection(number=section[1], order=len(sections) + 1, title=section[2]))
        elif point := _POINT.match(line):
            pieces.append((sections[-1], chinese_numeral_value(point[1]), [point[2]]))
        elif pieces and pieces[-1][0] is sections[-1]:
            pieces[-1][2].append(line)
        else:
            raise ValidationError(f"无法识别“{line[:30]}”：板块标题后应是“（一）……”形式的工作要点。")
    numbers = [number for _section, number, _text in pieces]
    if numbers != list(range(1, len(numbers) + 1)):
        raise ValidationError(f"工作要点序号应从（一）起连续编号，实际为 {numbers}。")
    for section, number, text in pieces:
        section.points.append(point_split(number, "".join(text)))
    for section in sections:
        if not section.points:
            raise ValidationError(f"板块“{section.number}、{section.title}”下没有工作要点。")
    return sections, attachment[1] if attachment else "", attachment_at


def _attachment_lines(raw_lines: list[str]) -> list[str]:
    """The attachment's own lines after the "附件" line and its title, table rows with
    their tabs (cells are cleaned one by one by the table's reader)."""
    lines = [line for line in raw_lines if line.strip()]
    starts = [index for index, line in enumerate(lines) if printed_line_clean(line) == "附件"]
    return lines[starts[-1] + 2 :] if starts else []
