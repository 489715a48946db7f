"""Importing a year's 工作要点 from its text: a preview that writes nothing, then one
atomic confirmation.

The preview shows what the text says and how each printed name resolves; a name the
register does not know is listed once, and the office says what it is (an alias, a
renamed unit, a new unit; responsibility.services.printed_name_register). Confirming
applies those choices, writes the plan, sets each point's units from its clause
through the same service the admin uses (work_point_parties_replace) and breaks the
points down into tasks (plan_tasks_sync): the 2020 fixtures are rebuilt exactly from
the seed's own text (tests/tasks/test_plan_import.py)."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from furong_portal.pagecache import public_pages_changed
from responsibility.audit import Action, audit_record
from responsibility.models import Collective, Unit
from responsibility.services import NameChoice, party_resolve, printed_name_register

from ..models import PlanDocument, Section, WorkPoint, WorkPointParty
from ..plan_text import ParsedPlan, ParsedPoint, ParsedSection, plan_text_parse
from .assignment import TaskSync, plan_tasks_sync, text_deadlines
from .work_points import units_clause_parse, work_point_parties_replace


@dataclass
class PartyPreview:
    printed_name: str
    role: str
    party: Unit | Collective | None  # None: not resolved yet
    chosen: bool = False  # resolved through the office's choice, not the register

    @property
    def role_label(self) -> str:
        return WorkPointParty.Role(self.role).label


@dataclass
class PointPreview:
    section: ParsedSection
    point: ParsedPoint
    parties: list[PartyPreview]
    deadlines: list[date]  # as the text names them; tasks are due on the latest
    due_on: date
    clause_error: str = ""


@dataclass
class PlanPreview:
    parsed: ParsedPlan
    points: list[PointPreview]
    unresolved: list[str]
    errors: list[str] = field(default_factory=list)

    @property
    def can_confirm(self) -> bool:
        return not self.errors and not self.unresolved

    @property
    def party_count(self) -> int:
        return sum(len(point.parties) for point in self.points)


def _resolve(name: str, choices: dict[str, NameChoice]) -> tuple[Unit | Collective | None, bool]:
    try:
        return party_resolve(name), False
    except ValidationError:
        choice = choices.get(name)
        if choice is None:
            return None, False
        # A new unit does not exist before confirmation; the preview shows it by name.
        return (choice.party if choice.party is not None else Unit(name=name, kind=choice.kind)), True


def plan_preview(*, text: str, choices: dict[str, NameChoice] | None = None) -> PlanPreview:
    """What importing `text` would write. Raises ValidationError if the text is not a
    工作要点 notice at all; everything else the office can act on is in the preview."""
    choices = choices or {}
    parsed = plan_text_parse(text)
    errors = []
    existing = PlanDocument.objects.filter(year=parsed.year).first() or PlanDocument.objects.filter(
        doc_number=parsed.doc_number
    ).first()
    if existing:
        errors.append(f"{existing.year} 年的工作要点已导入（{existing}），不能重复导入。")
    document = _plan_document(parsed)
    errors.extend(_field_errors(document, exclude=("doc_number", "year")))
    unresolved: list[str] = []
    points = []
    for section in parsed.sections:
        for point in section.points:
            parties, clause_error = [], ""
            try:
                parsed_parties = units_clause_parse(point.units_clause) if point.units_clause else []
            except ValidationError as error:
                parsed_parties, clause_error = [], error.messages[0]
                errors.append(f"（{point.number}）{clause_error}")
            for name, role in parsed_parties:
                party, chosen = _resolve(name, choices)
                if party is None and name not in unresolved:
                    unresolved.append(name)
                parties.append(PartyPreview(printed_name=name, role=role, party=party, chosen=chosen))
            unsaved = WorkPoint(number=point.number, title=point.title, text=point.text, units_clause=point.units_clause)
            errors.extend(f"（{point.number}）{message}" for message in _field_errors(unsaved, exclude=("section",)))
            deadlines = text_deadlines(point.text)
            points.append(
                PointPreview(
                    section=section, point=point, parties=parties, deadlines=deadlines,
                    due_on=max(deadlines, default=date(parsed.year, 12, 31)), clause_error=clause_error,
                )
            )
    return PlanPreview(parsed=parsed, points=points, unresolved=unresolved, errors=errors)


def _plan_document(parsed: ParsedPlan) -> PlanDocument:
    return PlanDocument(
        title=parsed.title, plan_title=parsed.plan_title, doc_number=parsed.doc_number, issuer=parsed.issuer,
        header=parsed.header, addressees=parsed.addressees, notice_text=parsed.notice_text,
        issued_on=parsed.issued_on, printed_on=parsed.printed_on, preamble=parsed.preamble,
        attachment_title=parsed.attachment_title, year=parsed.year,
    )


def _field_errors(instance, *, exclude) -> list[str]:
    """The model's own field checks (lengths, blanks), as messages naming the field."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        return [
            message if name == NON_FIELD_ERRORS else f"{instance._meta.get_field(name).verbose_name}：{message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return []


@dataclass
class PlanImport:
    plan: PlanDocument
    tasks: TaskSync
    registered: list[str]


@transaction.atomic
def plan_import(
    *, text: str, choices: dict[str, NameChoice] | None = None, source: str = "", actor=None, request=None
) -> PlanImport:
    """Write the plan `text` describes, with its points, their units and their tasks,
    all or nothing, and record it in the audit log (`actor`: who confirmed it in the
    back office; None for the command line, named by `source`). Unknown names must
    each have a choice."""
    choices = choices or {}
    preview = plan_preview(text=text, choices=choices)
    if preview.errors:
        raise ValidationError(preview.errors)
    if preview.unresolved:
        raise ValidationError("以下名称尚未对应到单位或集合称谓：" + "、".join(preview.unresolved) + "。")
    parsed = preview.parsed
    reason = f"导入{parsed.doc_number}时认定" + (f"（{source}）" if source else "")
    registered = []
    for name in dict.fromkeys(party.printed_name for point in preview.points for party in point.parties if party.chosen):
        choice = choices[name]
        printed_name_register(name=name, mapping=choice.mapping, party=choice.party, kind=choice.kind, reason=reason)
        registered.append(name)
    plan = _plan_document(parsed)
    plan.full_clean()
    plan.save()
    for parsed_section in parsed.sections:
        section = Section(document=plan, number=parsed_section.number, order=parsed_section.order, title=parsed_section.title)
        section.full_clean()
        section.save()
        for parsed_point in parsed_section.points:
            point = WorkPoint(section=section, number=parsed_point.number, title=parsed_point.title, text=parsed_point.text)
            point.full_clean()
            point.save()
            if parsed_point.units_clause:
                work_point_parties_replace(work_point=point, units_clause=parsed_point.units_clause)
    tasks = plan_tasks_sync(plan=plan)
    audit_record(
        action=Action.PLAN_IMPORTED, actor=actor, target=plan, request=request,
        detail={"source": source, "points": sum(len(section.points) for section in parsed.sections),
                "tasks_created": tasks.created, "names_registered": registered},
    )  # fmt: skip
    public_pages_changed()  # the year's public work points
    return PlanImport(plan=plan, tasks=tasks, registered=registered)
