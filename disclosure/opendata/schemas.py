"""What the API and the bulk downloads publish, field by field.

One pydantic model per record. The API validates its answers against them (and so the
OpenAPI schema is generated from them); the bulk downloads write the same records; the
data dictionary page prints their field names and descriptions. A field is added here
or nowhere. Nothing here names a person: accounts, applicants, authors, reviewers, contact
details and internal comments are not part of any record (tests/opendata walk every
endpoint to prove it)."""

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from ninja import Schema


class ItemRecord(Schema):
    """政府信息 (one per published or withdrawn item). A withdrawn item keeps its 索引号,
    title, column, unit and dates and says why it was withdrawn; its content is not given."""

    id: int = Field(description="信息编号")
    url: str = Field(description="信息页面地址（站内路径）")
    status: Literal["published", "withdrawn"] = Field(description="状态：published 已发布，withdrawn 已撤回")
    index_number: str = Field(description="索引号（机构代码/年份-流水号）")
    title: str = Field(description="标题")
    column_slug: str = Field(description="所属栏目网址标识")
    column_title: str = Field(description="所属栏目")
    unit_id: int = Field(description="发布机构编号")
    unit_name: str = Field(description="发布机构")
    published_at: datetime = Field(description="发布日期（含时区）")
    doc_number: str | None = Field(description="文号；已撤回信息为空")
    written_on: date | None = Field(description="成文日期")
    theme: str | None = Field(description="主题分类代码")
    theme_label: str | None = Field(description="主题分类")
    genre: str | None = Field(description="体裁代码")
    genre_label: str | None = Field(description="体裁")
    keywords: str | None = Field(description="关键词")
    is_normative: bool | None = Field(description="是否规范性文件")
    validity: Literal["valid", "expired", "repealed"] | None = Field(
        description="有效性代码（仅规范性文件）：valid 有效，expired 失效，repealed 废止"
    )
    validity_label: str | None = Field(description="有效性")
    validity_since: date | None = Field(description="有效性起始日期")
    successor_id: int | None = Field(description="替代本文件的文件编号（已公开时）")
    interprets_id: int | None = Field(description="本解读所解读的文件编号（已公开时）")
    withdrawn_at: datetime | None = Field(description="撤回时间（仅已撤回信息）")
    withdrawn_reason: str | None = Field(description="撤回原因（仅已撤回信息）")


class AttachmentRecord(Schema):
    id: int = Field(description="附件编号")
    name: str = Field(description="文件名")
    size: int = Field(description="大小（字节）")
    content_type: str = Field(description="文件类型")
    url: str = Field(description="下载地址（站内路径）")


class ItemLink(Schema):
    id: int = Field(description="信息编号")
    title: str = Field(description="标题")
    url: str = Field(description="信息页面地址")


class ItemDetail(ItemRecord):
    """An item with its body, attachments and the documents it is linked with (解读, 替代)."""

    body: str | None = Field(description="正文（HTML）；已撤回信息为空")
    attachments: list[AttachmentRecord] = Field(description="附件")
    interpretations: list[ItemLink] = Field(description="对本文件的解读")
    interprets: ItemLink | None = Field(description="本解读所解读的文件")
    successor: ItemLink | None = Field(description="替代本文件的文件")
    predecessors: list[ItemLink] = Field(description="被本文件替代的文件")


class ItemPage(Schema):
    results: list[ItemRecord] = Field(description="本页信息，按发布日期从新到旧")
    next_cursor: str | None = Field(description="下一页的 cursor 参数；为空表示已到最后一页")
    next: str | None = Field(description="下一页的地址")


class DutyRecord(Schema):
    """栏目责任 (one per responsible unit or collective of a column, in printed order)."""

    column_slug: str = Field(description="栏目网址标识")
    position: int = Field(description="顺序")
    printed_name: str = Field(description="分解表中的原文名称")
    unit_id: int | None = Field(description="责任单位编号（为集合称谓时为空）")
    unit_name: str | None = Field(description="责任单位")
    collective: str | None = Field(description="集合称谓（如 各街道）")


class ColumnRecord(Schema):
    """栏目 (the platform's column tree, three levels)."""

    id: int = Field(description="栏目编号（/items 的 column 参数）")
    slug: str = Field(description="网址标识")
    number: str = Field(description="序号（按分解表原样）")
    title: str = Field(description="标题")
    level: int = Field(description="层级（1–3）")
    parent_slug: str | None = Field(description="上级栏目网址标识")
    order: int = Field(description="同级排序")
    note: str = Field(description="备注")
    responsibility_text: str = Field(description="责任单位（分解表原文）")
    update_cycle: str = Field(description="更新要求代码")
    update_cycle_label: str = Field(description="更新要求")
    stale_after_days: int | None = Field(description="超过该天数无新信息即视为未及时更新")
    url: str = Field(description="栏目页面地址")


class ColumnDetail(ColumnRecord):
    duties: list[DutyRecord] = Field(description="责任单位")


class UnitRecord(Schema):
    """责任单位 (a unit's functional details; no staff, no mailbox)."""

    id: int = Field(description="单位编号")
    name: str = Field(description="规范名称")
    short_name: str = Field(description="简称")
    kind: str = Field(description="单位类型代码")
    kind_label: str = Field(description="单位类型")
    code: str = Field(description="机构代码（索引号前缀）")
    is_active: bool = Field(description="是否启用")
    url: str = Field(description="单位页面地址")


class WorkPointRecord(Schema):
    """工作要点 (of every year's plan)."""

    year: int = Field(description="年度")
    number: int = Field(description="序号（全文连续编号）")
    plan: str = Field(description="所属文件文号")
    section: str = Field(description="所属板块")
    title: str = Field(description="标题")
    text: str = Field(description="全文")
    units_clause: str = Field(description="责任单位括注原文")
    url: str = Field(description="要点页面地址")


class WorkPointTaskRecord(Schema):
    """One unit's share of a work point, with its public state and the progress summaries
    the district office approved. Internal reports and review comments are not given."""

    year: int = Field(description="年度")
    work_point_number: int = Field(description="工作要点序号")
    unit_id: int = Field(description="责任单位编号")
    unit_name: str = Field(description="责任单位")
    role: str = Field(description="职责代码")
    role_label: str = Field(description="职责（牵头/负责/落实/按职责分工负责）")
    public_state: str = Field(description="公开状态（未开始/推进中/已完成）")
    due_on: date = Field(description="截止日期")
    completed_on: date | None = Field(description="完成日期（区政务公开办审核通过之日）")
    approved_summaries: list[str] = Field(description="审核通过的公开进展摘要，新的在前")


class WorkPointDetail(WorkPointRecord):
    tasks: list[WorkPointTaskRecord] = Field(description="各责任单位的任务")


class CatalogueEntryRecord(Schema):
    """基层政务公开标准目录条目 (国办发〔2019〕54号)."""

    id: int = Field(description="条目编号")
    column_slug: str = Field(description="栏目网址标识")
    column_title: str = Field(description="栏目")
    position: int = Field(description="序号")
    matter: str = Field(description="公开事项（一级事项）")
    sub_matter: str = Field(description="公开事项（二级事项）")
    content: str = Field(description="公开内容（要素）")
    basis: str = Field(description="公开依据")
    time_limit: str = Field(description="公开时限")
    cycle_days: int | None = Field(description="定期公开周期（天）")
    subject: str = Field(description="公开主体")
    channels: str = Field(description="公开渠道和载体")
    audience: str = Field(description="公开对象代码")
    audience_label: str = Field(description="公开对象（全社会/特定群体）")
    mode: str = Field(description="公开方式代码")
    mode_label: str = Field(description="公开方式（主动公开/依申请公开）")
    level: str = Field(description="公开层级代码")
    level_label: str = Field(description="公开层级（县级/乡、村级）")


class ErrorOut(Schema):
    detail: str = Field(description="错误说明")
