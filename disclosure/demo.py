"""Realistic demo content for development and benchmarks (never production fixtures).

`create_demo_items(items=N)` plans N items in memory across every leaf column, with
publishing units taken from each column's duties (collectives resolved to their
members), then writes them with `bulk_create` in batches. It bypasses the publish
service on purpose, because one service call per item would take hours for 100,000
items, and so it repeats the service's bookkeeping itself: 索引号 are allocated
from `IndexSequence` per unit and year (and the sequences advanced), search text is
computed with `search_text_for` and the SQLite FTS index is filled batch by batch.

What it makes: notices, plans, reports, news …; normative documents (规范性文件) in
all three validity states, expired and repealed ones pointing to their successor;
policy interpretations linked to the documents they explain; attachments (small but
real PDF, DOCX and XLSX files in the private storage); a few withdrawn items, drafts and
scheduled publications.
"""

from __future__ import annotations

import datetime
import io
import random
import zipfile
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from furong_portal.pagecache import public_pages_changed
from furong_portal.storage import private_storage
from responsibility.answering import column_answering_units
from responsibility.models import Column, Unit

from .models import Attachment, Genre, IndexSequence, Item, NormativeKind, Theme
from .sanitize import sanitize_html
from .search import fts_replace, search_index_statements, search_terms_recounted_after, search_text_for
from .services import index_prefix

BATCH_SIZE = 2000
FIRST_DEMO_YEAR = 2015
NORMATIVE_SHARE = 0.12
INTERPRETED_SHARE = 0.5
ATTACHMENT_EVERY = 12
ATTACHMENT_DIR = "demo/attachments"

# Topics per leaf column slug; columns not listed use their own title.
TOPICS = {
    "1-1": ["政府信息公开指南", "依申请公开办理流程", "主动公开目录"],
    "2-1": ["政府信息公开保密审查", "政府信息公开工作考核", "政务公开工作制度", "政府信息发布协调"],
    "3-1": ["行政规范性文件管理", "法治政府建设", "权责清单", "行政执法公示", "合法性审查"],
    "3-2": ["机构职能", "领导分工", "内设机构", "办公地址和联系方式"],
    "3-3": ["国民经济和社会发展", "“十四五”规划", "城市更新", "产业发展", "国土空间"],
    "3-4": ["统计公报", "经济运行", "人口抽样调查", "固定资产投资", "社会消费品零售"],
    "3-5": ["行政许可", "企业开办", "工程建设项目审批", "政务服务事项", "一件事一次办"],
    "3-6": ["行政处罚", "行政强制", "双随机一公开", "城市管理执法", "行政执法结果"],
    "3-7": ["部门预算", "部门决算", "财政预算", "预算执行", "三公经费", "政府债务"],
    "3-8": ["行政事业性收费", "涉企收费", "收费目录清单", "政府定价"],
    "3-9": ["政府采购", "采购意向", "集中采购", "采购结果", "框架协议采购"],
    "3-10": ["重大建设项目", "项目批准", "项目招标投标", "征地拆迁", "重点项目推进"],
    "3-11": ["突发事件应对", "应急预案", "防汛抗旱", "森林防火", "应急演练"],
    "3-12-1": ["扶贫", "脱贫攻坚", "产业扶贫", "消费扶贫", "精准扶贫", "扶贫资金", "低收入人口帮扶"],
    "3-12-2": ["义务教育招生", "学前教育", "教育经费", "教师招聘", "校园安全", "课后服务"],
    "3-12-3": ["基本医疗", "医疗机构监管", "家庭医生签约", "医疗服务价格", "分级诊疗"],
    "3-12-4": ["养老保险", "医疗保障", "工伤保险", "失业保险", "城乡居民医保", "社保待遇"],
    "3-12-5": ["就业创业", "创业担保贷款", "职业技能培训", "高校毕业生就业", "稳岗补贴"],
    "3-12-6": ["环境保护", "大气污染防治", "水污染防治", "环境影响评价", "污染源监管"],
    "3-12-7": ["公共卫生", "传染病防控", "疫苗接种", "爱国卫生运动", "健康教育"],
    "3-12-8": ["安全生产", "隐患排查治理", "危险化学品", "消防安全", "安全生产责任"],
    "3-12-9": ["食品安全", "药品安全", "食品抽检", "餐饮服务监管", "校园食品安全"],
    "3-12-10": ["产品质量", "质量抽查", "计量监督", "特种设备", "标准化建设"],
    "3-13": ["公务员招录", "事业单位公开招聘", "人事任免", "招考录用", "引进高层次人才"],
    "3-14": ["营商环境", "政务服务", "信用体系建设", "优化营商环境", "惠企政策"],
    "4-1": ["政府信息公开工作年度报告"],
    "4-2": ["政府信息公开工作年度报告"],
    "4-3": ["政府信息公开工作年度报告"],
    "5": ["依申请公开", "政府信息公开申请答复", "依申请公开情况统计"],
    "6-1": ["学校信息公开", "招生收费", "学校安全管理", "教育教学质量"],
    "6-2": ["医院信息公开", "医疗服务收费", "就诊指南", "药品价格"],
    "6-3": ["公交线路调整", "公共交通", "停车管理", "出租车服务"],
    "6-4": ["供水", "供电", "燃气", "水电气报装", "停水停电通知"],
    "6-5": ["公共文化服务", "科技创新", "图书馆", "科普活动", "文化惠民"],
    "7-1": ["市政建设", "道路提质改造", "老旧小区改造", "城市更新", "园林绿化", "环卫作业"],
    "7-2": ["公共服务", "便民服务", "政务服务中心", "社区服务"],
    "7-3": ["公益事业", "慈善捐赠", "志愿服务", "社会组织"],
    "7-4": ["土地征收", "征地补偿", "征收土地公告", "征地安置"],
    "7-5": ["房屋征收", "征收补偿方案", "征收决定", "棚户区改造"],
    "7-6": ["治安管理", "平安建设", "扫黑除恶", "反电信诈骗", "交通安全"],
    "7-7": ["社会救助", "最低生活保障", "特困人员供养", "临时救助", "困难群众帮扶"],
}
THEMES = {
    "3-1": Theme.JUSTICE, "3-3": Theme.ECONOMY, "3-4": Theme.ECONOMY, "3-5": Theme.GENERAL, "3-6": Theme.JUSTICE,
    "3-7": Theme.FINANCE, "3-8": Theme.FINANCE, "3-9": Theme.FINANCE, "3-10": Theme.ECONOMY, "3-11": Theme.MARKET,
    "3-12-1": Theme.CIVIL, "3-12-2": Theme.SCIENCE, "3-12-3": Theme.HEALTH, "3-12-4": Theme.LABOUR,
    "3-12-5": Theme.LABOUR, "3-12-6": Theme.CONSTRUCTION, "3-12-7": Theme.HEALTH, "3-12-8": Theme.MARKET,
    "3-12-9": Theme.MARKET, "3-12-10": Theme.MARKET, "3-13": Theme.LABOUR, "6-1": Theme.SCIENCE,
    "6-2": Theme.HEALTH, "6-3": Theme.INDUSTRY, "6-4": Theme.LAND, "6-5": Theme.CULTURE,
    "7-1": Theme.CONSTRUCTION, "7-4": Theme.LAND, "7-5": Theme.CONSTRUCTION, "7-6": Theme.JUSTICE, "7-7": Theme.CIVIL,
}  # fmt: skip
# Columns that only hold a handful of documents in real life.
LIGHT_COLUMNS = {"1-1": 0.05, "2-1": 0.1, "3-2": 0.2, "4-1": 0.1, "4-2": 0.3, "4-3": 0.5, "5": 0.2}
REPORT_COLUMNS = {"4-1", "4-2", "4-3"}
# Genres that may be normative documents, with their title patterns.
NORMATIVE_TITLES = {
    Genre.MEASURES: "芙蓉区{topic}管理办法",
    Genre.REGULATION: "芙蓉区关于{topic}的若干规定",
    Genre.OPINION: "关于进一步加强{topic}工作的实施意见",
    Genre.NOTICE: "关于印发《芙蓉区{topic}实施细则》的通知",
}
TITLES = {
    Genre.NOTICE: ("关于做好{year}年度{topic}工作的通知", "关于开展{topic}专项检查的通知", "关于调整{topic}有关事项的通知"),
    Genre.ANNOUNCEMENT: ("芙蓉区{topic}项目公示公告", "关于{topic}有关情况的公告"),
    Genre.PUBLIC_NOTICE: ("关于{topic}期间有关事项的通告",),
    Genre.PLAN: ("芙蓉区{year}年{topic}工作方案", "芙蓉区{topic}三年行动方案（{year}—{next_year}年）"),
    Genre.PROGRAMME: ("芙蓉区{topic}发展规划（{year}—{plus_five}年）",),
    Genre.REPORT: ("{unit}{year}年{topic}工作情况报告", "关于{year}年{topic}执行情况的报告"),
    Genre.NEWS: ("{unit}召开{topic}工作推进会", "{unit}扎实推进{topic}工作", "{topic}工作取得阶段性成效"),
    Genre.LIST: ("芙蓉区{topic}事项清单（{year}年版）",),
    Genre.REPLY: ("关于{topic}有关问题的批复",),
}
GENRE_WEIGHTS = {
    Genre.NOTICE: 30, Genre.NEWS: 25, Genre.ANNOUNCEMENT: 10, Genre.PUBLIC_NOTICE: 4, Genre.PLAN: 10,
    Genre.PROGRAMME: 2, Genre.REPORT: 10, Genre.LIST: 5, Genre.REPLY: 4,
}  # fmt: skip
DOC_PREFIX = {
    "区人民政府办公室": "芙政办发", "区财政局": "芙财发", "区教育局": "芙教发", "区发展改革局": "芙发改发",
    "区人力资源和社会保障局": "芙人社发", "区民政局": "芙民发", "区卫生健康局": "芙卫健发", "区司法局": "芙司发",
    "区农业农村局": "芙农发", "区市场监督管理局": "芙市监发", "区应急局": "芙应急发", "区城市管理和综合执法局": "芙城管发",
}  # fmt: skip
WITHDRAWN_REASONS = ("信息内容有误，已重新发布更正后的版本。", "涉及个人信息，依法撤回。", "重复发布。")
PARAGRAPHS = (
    "为深入贯彻落实党中央、国务院和省委、省政府、市委、市政府关于{topic}的决策部署，进一步提升{topic}工作水平，"
    "结合我区实际，现就有关事项{action}如下。",
    "一、总体要求。坚持以人民为中心的发展思想，围绕{topic}重点任务，强化责任落实，确保各项工作措施落地见效。",
    "二、主要任务。（一）健全工作机制，明确{unit}的牵头责任和各街道、各相关部门的配合责任；（二）加强{topic}"
    "信息公开，按规定在政府信息公开平台主动公开；（三）做好政策解读和舆情回应。",
    "三、保障措施。各单位要高度重视{topic}工作，主要负责同志亲自抓，分管负责同志具体抓，"
    "将工作情况纳入年度绩效考核，确保{year}年底前完成各项目标任务。",
    "四、其他事项。本{genre}自印发之日起施行，由{unit}负责解释。执行中遇到的问题，请及时向{unit}反映。",
)
REPORT_PARAGRAPHS = (
    "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条规定编制。",
    "一、总体情况。{year}年，{unit}认真贯彻落实《条例》，围绕{topic}，持续加大主动公开力度。",
    "二、主动公开政府信息情况。全年主动公开政府信息{count}条，其中规范性文件{docs}件。",
    "三、收到和处理政府信息公开申请情况。全年新收政府信息公开申请{requests}件，均在法定期限内答复。",
    "四、政府信息公开行政复议、行政诉讼情况。全年未发生因政府信息公开引起的行政复议、行政诉讼。",
    "五、存在的主要问题及改进情况。部分栏目更新不够及时，下一步将加强督促检查。",
    "六、其他需要报告的事项。本年度未收取信息处理费。",
)


@dataclass
class DemoSummary:
    items: int = 0
    normative: dict = field(default_factory=lambda: defaultdict(int))
    interpretations: int = 0
    attachments: int = 0
    withdrawn: int = 0
    drafts: int = 0
    scheduled: int = 0
    columns: int = 0


def leaf_columns_with_units() -> list[tuple[Column, list[Unit]]]:
    """Every leaf column with the active units answering for it."""
    answering = column_answering_units()
    return [(column, answering.get(column.pk, [])) for column in Column.objects.leaves().order_by("pk")]


def doc_prefix(unit: Unit) -> str:
    if unit.name in DOC_PREFIX:
        return DOC_PREFIX[unit.name]
    core = unit.name.removeprefix("芙蓉区").removeprefix("区")
    return f"芙{core[:1]}发"


def demo_files() -> dict[str, tuple[bytes, str]]:
    """Three small, valid attachment files: PDF, DOCX and XLSX."""
    pdf = _minimal_pdf("Furong District demo attachment")
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
            'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>芙蓉区政府信息公开平台演示附件'
            "</w:t></w:r></w:p></w:body></w:document>",
        )
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "明细"
    sheet.append(("序号", "项目", "金额（万元）"))
    for number in range(1, 6):
        sheet.append((number, f"演示项目{number}", number * 12.5))
    xlsx = io.BytesIO()
    workbook.save(xlsx)
    return {
        "pdf": (pdf, "application/pdf"),
        "docx": (docx.getvalue(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "xlsx": (xlsx.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    }


def _minimal_pdf(text: str) -> bytes:
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


class _Planner:
    def __init__(self, rng: random.Random, now: datetime.datetime):
        self.rng = rng
        self.now = now
        self.start = timezone.make_aware(datetime.datetime(FIRST_DEMO_YEAR, 1, 1, 9))
        self.doc_serials: dict[tuple[str, int], int] = defaultdict(int)

    def when(self) -> datetime.datetime:
        span = (self.now - self.start).total_seconds() - 3600
        moment = self.start + datetime.timedelta(seconds=self.rng.uniform(0, span))
        # Office hours look more real than 3 a.m.
        return moment.replace(hour=self.rng.randint(8, 17), minute=self.rng.randint(0, 59))

    def body(self, paragraphs, **values) -> str:
        picked = sorted(self.rng.sample(range(1, len(paragraphs)), k=min(len(paragraphs) - 1, self.rng.randint(2, 4))))
        chosen = [paragraphs[0], *(paragraphs[index] for index in picked)]
        return sanitize_html("".join(f"<p>{paragraph.format(**values)}</p>" for paragraph in chosen))

    def item(self, column: Column, units: list[Unit], normative: bool) -> Item:
        rng = self.rng
        unit = rng.choice(units)
        topic = rng.choice(TOPICS.get(column.slug) or [column.title])
        published_at = self.when()
        year = published_at.year
        values = {
            "topic": topic, "unit": unit.name, "year": year, "next_year": year + 2, "plus_five": year + 5,
            "action": "通知", "genre": "通知", "count": rng.randint(80, 900), "docs": rng.randint(0, 12),
            "requests": rng.randint(0, 60),
        }  # fmt: skip
        doc_number = ""
        if column.slug in REPORT_COLUMNS:
            genre = Genre.REPORT
            title = f"{unit.name}{year - 1}年政府信息公开工作年度报告"
            body = self.body(REPORT_PARAGRAPHS, **{**values, "year": year - 1})
        elif normative:
            genre = rng.choice(list(NORMATIVE_TITLES))
            title = NORMATIVE_TITLES[genre].format(**values)
            values.update(action="规定" if genre != Genre.OPINION else "提出意见", genre=Genre(genre).label)
            body = self.body(PARAGRAPHS, **values)
        else:
            genre = rng.choices(list(GENRE_WEIGHTS), weights=GENRE_WEIGHTS.values())[0]
            title = rng.choice(TITLES[genre]).format(**values)
            values["genre"] = Genre(genre).label
            body = self.body(PARAGRAPHS, **values)
        if normative or (genre in (Genre.NOTICE, Genre.PLAN, Genre.REPLY) and rng.random() < 0.6):
            prefix = doc_prefix(unit)
            self.doc_serials[(prefix, year)] += 1
            doc_number = f"{prefix}〔{year}〕{self.doc_serials[(prefix, year)]}号"
        return Item(
            column=column,
            unit=unit,
            title=title[:300],
            doc_number=doc_number,
            written_on=(published_at - datetime.timedelta(days=rng.randint(1, 20))).date(),
            published_at=published_at,
            theme=THEMES.get(column.slug, Theme.GENERAL),
            genre=genre,
            keywords="、".join(dict.fromkeys((topic, column.title))),
            body=body,
            is_normative=normative,
            normative_kind=NormativeKind.NORMATIVE_DOCUMENT if normative else "",
            validity=Item.Validity.VALID if normative else "",
            state=Item.State.PUBLISHED,
        )

    def interpretation(self, document: Item) -> Item:
        published_at = document.published_at + datetime.timedelta(hours=self.rng.randint(1, 48))
        title = document.title.removeprefix("关于印发").removesuffix("的通知").strip("《》")
        return Item(
            column=document.column,
            unit=document.unit,
            title=f"《{title}》政策解读"[:300],
            written_on=document.written_on,
            published_at=min(published_at, self.now - datetime.timedelta(minutes=5)),
            theme=document.theme,
            genre=Genre.INTERPRETATION,
            keywords=document.keywords,
            body=sanitize_html(
                f"<h2>一、起草背景</h2><p>为贯彻落实上级关于{document.keywords}的部署，{document.unit.name}起草了"
                f"《{title}》。</p><h2>二、主要内容</h2><p>文件共分总体要求、主要任务、保障措施三部分。</p>"
                "<h2>三、解读机关及联系方式</h2><p>解读机关：" + document.unit.name + "。</p>"
            ),
            state=Item.State.PUBLISHED,
        )


def _plan(rng, now, columns, items: int, summary: DemoSummary) -> tuple[list[Item], list[Item]]:
    planner = _Planner(rng, now)
    weights = [LIGHT_COLUMNS.get(column.slug, 1.0) for column, _ in columns]
    normative_columns = {column.pk for column, _ in columns if column.slug.split("-")[0] in ("3", "7")}
    normative_columns -= {column.pk for column, _ in columns if column.slug in ("3-2", "3-4", "3-13")}
    # Every leaf column gets at least one item; the rest follow the weights.
    picks = columns[: min(items, len(columns))]
    picks += rng.choices(columns, weights=weights, k=max(0, items - len(picks)))
    planned: list[Item] = []
    interpretations: list[Item] = []
    budget = items
    for column, units in picks:
        if budget <= 0:
            break
        normative = column.pk in normative_columns and rng.random() < NORMATIVE_SHARE
        item = planner.item(column, units, normative)
        planned.append(item)
        budget -= 1
        if normative and budget > 0 and rng.random() < INTERPRETED_SHARE:
            interpretation = planner.interpretation(item)
            interpretation.demo_interprets = item
            interpretations.append(interpretation)
            budget -= 1
    planned += interpretations
    summary.interpretations = len(interpretations)
    _assign_validity(rng, planned, summary)
    _assign_states(rng, now, planned, summary)
    planned.sort(key=lambda item: (item.published_at or now))
    return planned, interpretations


def _assign_validity(rng, planned: list[Item], summary: DemoSummary) -> None:
    """About a quarter of the normative documents are no longer in force: an older one
    of a column is expired or repealed and points to a newer valid one as successor."""
    by_column: dict[int, list[Item]] = defaultdict(list)
    for item in planned:
        if item.is_normative:
            by_column[item.column.pk].append(item)
    for documents in by_column.values():
        current = None  # the newest document still in force, walking back in time
        for document in sorted(documents, key=lambda item: item.published_at, reverse=True):
            if current is not None and rng.random() < 0.25:
                document.validity = rng.choice((Item.Validity.EXPIRED, Item.Validity.REPEALED))
                document.validity_since = current.published_at.date()
                document.demo_successor = current
            else:
                current = document
    for item in planned:
        if item.is_normative:
            if item.validity == Item.Validity.VALID:
                item.validity_since = item.published_at.date()
            summary.normative[item.validity] += 1


def _assign_states(rng, now, planned: list[Item], summary: DemoSummary) -> None:
    for item in planned:
        if item.is_normative or getattr(item, "demo_interprets", None):
            continue
        roll = rng.random()
        if roll < 0.004:
            item.state = Item.State.WITHDRAWN
            item.withdrawn_reason = rng.choice(WITHDRAWN_REASONS)
            item.withdrawn_at = min(item.published_at + datetime.timedelta(days=rng.randint(1, 30)), now)
            summary.withdrawn += 1
        elif roll < 0.008:
            item.state = Item.State.DRAFT
            item.published_at = None
            summary.drafts += 1
        elif roll < 0.010:
            item.published_at = now + datetime.timedelta(days=rng.randint(1, 10), hours=rng.randint(0, 8))
            summary.scheduled += 1


# The 索引号 prefix of demo items whose unit has no code while no district code is configured:
# a valid-looking organisation code that says what it is. Only this DEBUG-only command uses it;
# real publication refuses instead (disclosure.services.index_prefix).
DEMO_INDEX_PREFIX = "DEMO00008"


def _demo_prefix(unit) -> str:
    try:
        return index_prefix(unit)
    except ValidationError:
        return DEMO_INDEX_PREFIX


def _allocate_index_numbers(planned: list[Item]) -> list[IndexSequence]:
    """索引号 in publication order per 机构代码 and (Beijing) year, continuing each IndexSequence."""
    last = {(s.code, s.year): s.last_serial for s in IndexSequence.objects.all()}
    prefixes = {}
    for item in planned:
        if item.published_at is None:
            continue
        if item.unit.pk not in prefixes:
            prefixes[item.unit.pk] = _demo_prefix(item.unit)
        key = (prefixes[item.unit.pk], timezone.localtime(item.published_at).year)
        last[key] = last.get(key, 0) + 1
        item.index_number = f"{key[0]}/{key[1]}-{last[key]:05d}"
    return [IndexSequence(code=code, year=year, last_serial=serial) for (code, year), serial in last.items()]


def _write_attachments(rng, planned: list[Item], summary: DemoSummary) -> None:
    files = demo_files()
    # Attachments live in the private storage (furong_portal/storage.py), as uploads do.
    root = Path(private_storage().path(ATTACHMENT_DIR))
    root.mkdir(parents=True, exist_ok=True)
    rows = []
    for index, item in enumerate(planned):
        if index % ATTACHMENT_EVERY or item.published_at is None:
            continue
        for position, extension in enumerate(rng.sample(list(files), k=rng.randint(1, 2))):
            content, mime = files[extension]
            name = f"{item.pk}-{position}.{extension}"
            (root / name).write_bytes(content)
            label = {"pdf": "正文", "docx": "附件说明", "xlsx": "明细表"}[extension]
            rows.append(
                Attachment(
                    item=item,
                    file=f"{ATTACHMENT_DIR}/{name}",
                    name=f"{item.title[:40]}（{label}）.{extension}",
                    size=len(content),
                    content_type=mime,
                    position=position,
                )
            )
    Attachment.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    summary.attachments = len(rows)


@contextmanager
def _search_index_rebuilt_after():
    """On PostgreSQL, build the GIN indexes (all items, recent items) once after a large
    load instead of updating them row by row (about four times faster for 100,000
    items). The table stays locked until the transaction ends, which only a development
    or benchmark database sees."""
    if connection.vendor != "postgresql":
        yield
        return
    drops, builds = search_index_statements()
    with connection.cursor() as cursor, search_terms_recounted_after():
        for statement in drops:
            cursor.execute(statement)
        yield
        # Check the deferred foreign keys now: PostgreSQL builds no index on a table
        # with pending constraint triggers.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in builds:
            cursor.execute(statement)


def create_demo_items(*, items: int, seed: int = 2020, now: datetime.datetime | None = None, progress=None):
    """Create `items` demo items (interpretations included) and return a DemoSummary."""
    now = now or timezone.now()
    rng = random.Random(seed)
    summary = DemoSummary()
    columns = [(column, units) for column, units in leaf_columns_with_units() if units]
    if not columns:
        raise ValueError("没有可用的栏目和责任单位，请先载入种子数据（load_seed）。")
    summary.columns = len(columns)
    with transaction.atomic():
        planned, _ = _plan(rng, now, columns, items, summary)
        sequences = _allocate_index_numbers(planned)
        with _search_index_rebuilt_after():
            for start in range(0, len(planned), BATCH_SIZE):
                batch = planned[start : start + BATCH_SIZE]
                for item in batch:
                    item.search_text = search_text_for(item)
                Item.objects.bulk_create(batch)
                fts_replace((item.pk, item.search_text) for item in batch)
                if progress:
                    progress(start + len(batch), len(planned))
        linked = [item for item in planned if hasattr(item, "demo_successor") or hasattr(item, "demo_interprets")]
        for item in linked:
            item.successor = getattr(item, "demo_successor", None)
            item.interprets = getattr(item, "demo_interprets", None)
        Item.objects.bulk_update(linked, ["successor", "interprets"], batch_size=500)
        IndexSequence.objects.bulk_create(
            sequences, update_conflicts=True, unique_fields=("code", "year"), update_fields=("last_serial",)
        )
        _write_attachments(rng, planned, summary)
        public_pages_changed()
    summary.items = len(planned)
    return summary
