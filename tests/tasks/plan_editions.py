"""Editions of the 工作要点 written for the import tests: the seed's own text, and a 2021
edition derived from it with a point added, a unit renamed and collectives changed."""

from tests.seed_text import SEED_PATH

POINT_21 = (
    "（二十一）加强政务公开平台建设。2021年9月30日前完成政府信息公开平台集约化改造，"
    "统一栏目设置和信息发布标准。（区数据资源局牵头，各街道落实）"
)


def seed_edition() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


def edition_2021() -> str:
    """The seed, reissued for 2021:
    - 区数据资源中心 is now printed 区数据资源局 (the unit was renamed);
    - point 1 names a collective by a phrase the register does not know (区直各相关单位);
    - point 3 gives its duty to 区直各部门 instead of 区直各有关单位;
    - point 21 is new."""
    text = seed_edition()
    text = text.replace("芙政办发〔2020〕13号", "芙政办发〔2021〕8号").replace("2020年6月12日", "2021年3月5日")
    text = text.replace("2020", "2021").replace("区数据资源中心", "区数据资源局")
    text = text.replace(
        "（区数据资源局牵头，隆平高科技园、各街道、区直各有关单位负责）\n\n（二）",
        "（区数据资源局牵头，隆平高科技园、各街道、区直各相关单位负责）\n\n（二）",
    )
    text = text.replace("区司法局牵头，各街道、区直各有关单位负责", "区司法局牵头，各街道、区直各部门负责")
    return text.replace("\n附件：", f"\n{POINT_21}\n\n附件：", 1)
