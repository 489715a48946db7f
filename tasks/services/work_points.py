"""Writes to a work point itself: the units its closing clause names and how it is scored."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from furong_portal.pagecache import public_pages_changed
from responsibility.services import party_reference

from ..models import WorkPoint, WorkPointParty, WorkPointSetting

_ROLE_WORDS = {label: value for value, label in WorkPointParty.Role.choices}
# "区A、区B等部门牵头" — names, an optional "等部门" (and other departments), the role.
_GROUP = re.compile(r"^(?P<names>.+?)(?:等部门)?(?P<role>按职责分工负责|牵头|负责|落实)$")


def units_clause_parse(clause: str) -> list[tuple[str, str]]:
    """[(printed name, role)] of a closing clause such as
    "区数据资源中心牵头，隆平高科技园、各街道、区直各有关单位负责"."""
    parsed = []
    for group in filter(None, re.split(r"[，,]", clause.strip())):
        match = _GROUP.match(group.strip())
        if not match:
            raise ValidationError(f"无法识别责任单位括注中的“{group}”：每组应以 牵头/负责/落实/按职责分工负责 结尾。")
        parsed.extend((name, _ROLE_WORDS[match["role"]]) for name in match["names"].split("、"))
    return parsed


@transaction.atomic
def work_point_parties_replace(*, work_point: WorkPoint, units_clause: str) -> list[WorkPointParty]:
    """Set the point's closing clause and rebuild its units from it."""
    parsed = units_clause_parse(units_clause)
    resolved = [(role, party_reference(name)) for name, role in parsed]
    work_point.units_clause = units_clause.strip()
    work_point.save(update_fields=["units_clause"])
    work_point.parties.all().delete()
    public_pages_changed()
    return WorkPointParty.objects.bulk_create(
        WorkPointParty(work_point=work_point, position=position, role=role, **reference)
        for position, (role, reference) in enumerate(resolved, 1)
    )


@transaction.atomic
def work_point_setting_update(*, setting: WorkPointSetting, lead_weight: Decimal) -> WorkPointSetting:
    setting.lead_weight = lead_weight
    setting.full_clean()
    setting.save(update_fields=["lead_weight"])
    public_pages_changed()
    return setting
