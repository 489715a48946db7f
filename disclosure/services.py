"""Writes to published information. Every change of an item goes through here.

Each service checks the actor against `disclosure.access` (the one place that
scopes items), validates, runs in one transaction with the item's row locked, and
records an `ItemRevision` (who, when, which fields old → new, the item as it then
was). Publications, withdrawals and validity changes also go to the audit log.
Authorisation failures raise PermissionDenied, rule violations ValidationError,
both with a message a person understands."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from furong_portal.pagecache import public_pages_changed
from responsibility.access import unit_of
from responsibility.audit import audit_record
from responsibility.codes import institution_code, institution_code_error
from responsibility.models import AuditEvent, Column, Unit

from . import access
from .checks.models import CheckRun
from .checks.services import check_run_require_pass, item_check, warnings_of
from .interpretations.services import interpretations_to_publish_with
from .models import Attachment, IndexSequence, Item, ItemRevision, NormativeKind
from .sanitize import paragraphs_from_plain_text, sanitize_html
from .search import search_index_update
from .topics.services import topics_item_published
from .uploads import validate_attachment

Action = ItemRevision.Action
CheckStage = CheckRun.Stage

# What an editor writes; everything else (state, dates of publication, 索引号,
# review data, validity) is set by the services below.
CONTENT_FIELDS = (
    "column", "unit", "title", "doc_number", "written_on", "theme", "genre",
    "keywords", "body", "is_normative", "normative_kind", "interprets",
)  # fmt: skip
TRACKED_FIELDS = CONTENT_FIELDS + (
    "state", "published_at", "index_number", "validity", "validity_since", "successor",
    "review_comment", "reviewed_by", "withdrawn_reason", "withdrawn_at",
)  # fmt: skip
BODY_EXCERPT = 80
# States in which an item shows on the public site (published includes scheduled).
PUBLIC_STATES = frozenset({Item.State.PUBLISHED, Item.State.WITHDRAWN})


INDEX_SERIAL_MAX = 99999  # 国办秘函〔2009〕6号: five digits


def index_prefix(unit: Unit) -> str:
    """The 机构代码 that prefixes `unit`'s 索引号: its own, or — for a unit without one — the
    district government's (`settings.DISTRICT_ORGANISATION_CODE`), whose series it then shares.
    Never an invented code: with neither, no number can be issued (ValidationError)."""
    if unit.code:
        return unit.code
    district = institution_code(settings.DISTRICT_ORGANISATION_CODE)
    if not district:
        raise ValidationError(
            f"{unit} 尚未录入机构代码，系统也未配置区人民政府的机构代码（DISTRICT_ORGANISATION_CODE），"
            "无法生成索引号。请区政务公开办在“责任单位”中录入该单位的机构代码。"
        )
    error = institution_code_error(district)
    if error:
        raise ValidationError(f"系统配置的区人民政府机构代码（DISTRICT_ORGANISATION_CODE）无效：{error}")
    return district


@transaction.atomic
def index_number_issue(*, item: Item) -> str:
    """Give `item` its 索引号 (`机构代码/YYYY-NNNNN`, 国办秘函〔2009〕6号) if it has none.

    The year is that of the publication date in Beijing time (an item published at 03:00 on
    1 January belongs to the new year). The serial is per 机构代码 and year; the row lock makes
    two simultaneous publications take different serials. A series that has used all five
    digits is refused with a message rather than growing a sixth."""
    if item.index_number:
        return item.index_number
    code = index_prefix(item.unit)
    year = timezone.localtime(item.published_at).year
    sequence, _ = IndexSequence.objects.get_or_create(code=code, year=year)
    sequence = IndexSequence.objects.select_for_update().get(pk=sequence.pk)
    if sequence.last_serial >= INDEX_SERIAL_MAX:
        raise ValidationError(
            f"机构代码 {code} 在 {year} 年的索引号流水号已用完（最多 {INDEX_SERIAL_MAX} 个，5位），无法再生成索引号；"
            "请联系区政务公开办。"
        )
    sequence.last_serial += 1
    sequence.save(update_fields=["last_serial"])
    item.index_number = f"{code}/{year}-{sequence.last_serial:05d}"
    return item.index_number


# --- Revisions -----------------------------------------------------------------------


def _raw(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def item_snapshot(item: Item) -> dict:
    """The item as JSON: field values as stored (foreign keys as ids) and its attachments."""
    snapshot = {name: _raw(getattr(item, Item._meta.get_field(name).attname)) for name in TRACKED_FIELDS}
    snapshot["attachments"] = [
        {"id": attachment.pk, "name": attachment.name} for attachment in item.attachments.order_by("position", "pk")
    ]
    return snapshot


def _display(item: Item, name: str) -> str:
    """A field's value as a person reads it in the history."""
    if name == "attachments":
        return "、".join(attachment.name for attachment in item.attachments.order_by("position", "pk")) or "（无）"
    field = Item._meta.get_field(name)
    value = getattr(item, name)
    if value in (None, ""):
        return "（空）"
    if name == "body":
        text = " ".join(strip_tags(value).split())
        return f"{text[:BODY_EXCERPT]}{'…' if len(text) > BODY_EXCERPT else ''}（共 {len(text)} 字）"
    if field.choices:
        return str(getattr(item, f"get_{name}_display")())
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return str(value)


def _displays(item: Item) -> dict[str, str]:
    return {name: _display(item, name) for name in TRACKED_FIELDS + ("attachments",)}


def _revision_record(
    *, item: Item, actor, action: str, before: tuple[dict, dict] | None, comment: str = ""
) -> ItemRevision:
    """Record `item` as it now is, with the fields that differ from `before`
    ((snapshot, displays) taken before the change; None for a new item).

    Every change of an item passes here, so this is where a change the public can
    see (the item is or was published, scheduled or withdrawn) refreshes the page cache."""
    snapshot = item_snapshot(item)
    displays = _displays(item)
    if before is None:
        changes = {}
    else:
        old_snapshot, old_displays = before
        changes = {
            name: [old_displays[name], displays[name]]
            for name in snapshot
            if old_snapshot.get(name) != snapshot[name]
        }
    if PUBLIC_STATES & {snapshot["state"], before[0]["state"] if before else None}:
        # The item is, or was until now, on the public site (scheduled ones included).
        public_pages_changed()
    return ItemRevision.objects.create(
        item=item, action=action, author=actor, changes=changes, snapshot=snapshot, comment=comment
    )


def _state_before(item: Item) -> tuple[dict, dict]:
    return item_snapshot(item), _displays(item)


# --- Concurrent edits (optimistic locking) -------------------------------------------
#
# Every change of an item records an ItemRevision, so the newest revision is the item's
# version. An edit form carries the version it was opened at; saving from an older version
# is refused, naming what changed meanwhile, instead of silently undoing it.


def item_version(item: Item) -> str:
    latest = ItemRevision.objects.filter(item_id=item.pk).order_by("-pk").values_list("pk", flat=True).first()
    return str(latest or 0)


def item_stale_message(item: Item, version: str) -> str | None:
    """None when `version` is still current; otherwise the refusal, listing the changes since."""
    if not version or version == item_version(item):
        return None
    since = int(version) if version.isdigit() else 0
    changes = []
    for revision in ItemRevision.objects.filter(item_id=item.pk, pk__gt=since).select_related("author").order_by("pk"):
        who = (revision.author.get_full_name() or revision.author.get_username()) if revision.author else "系统"
        fields = "；".join(
            f"{Item._meta.get_field(name).verbose_name if name != 'attachments' else '附件'}：{old} → {new}"
            for name, (old, new) in revision.changes.items()
        )
        when = timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M")
        changes.append(f"{who} 于 {when} {revision.get_action_display()}" + (f"（{fields}）" if fields else ""))
    return (
        "保存未成功：您打开这条信息之后，它已被修改，为免覆盖别人的修改，本次保存被拒绝。"
        f"期间的修改：{'；'.join(changes) or '（见历史记录）'}。请重新打开本页，在最新版本上再修改。"
    )


def _locked(item: Item) -> Item:
    """The item's current row, locked until the transaction ends."""
    return Item.objects.select_for_update().select_related("column", "unit").get(pk=item.pk)


def _save(item: Item) -> None:
    item.full_clean()
    item.save()
    search_index_update([item])


# --- Content -------------------------------------------------------------------------


def _content_apply(*, actor, item: Item, data: Mapping[str, Any]) -> None:
    """Set the content fields present in `data` on `item`, checking every choice the
    actor makes against what `disclosure.access` lets them reach."""
    unknown = set(data) - set(CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"Not content fields: {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(item, name, value)
    unit, column = getattr(item, "unit", None), getattr(item, "column", None)
    if not isinstance(unit, Unit):
        raise ValidationError({"unit": "请指定发布机构。"})
    if not access.units_assignable_by(actor).filter(pk=unit.pk).exists():
        raise PermissionDenied("您不能以该单位的名义发布信息。")
    if not isinstance(column, Column) or not access.columns_assignable_by(actor).filter(pk=column.pk).exists():
        raise ValidationError({"column": "只能在本单位负责的栏目中添加信息（见平台内容保障责任分解表）。"})
    if item.interprets_id is not None:
        if item.interprets_id == item.pk or not access.items_interpretable_by(actor).filter(pk=item.interprets_id).exists():
            raise ValidationError({"interprets": "解读的文件须是您可见的信息（已发布，或本单位正在起草、审核的文件）。"})
    item.body = sanitize_html(paragraphs_from_plain_text(item.body))
    # 国办发〔2017〕47号: a normative document always carries its 有效性.
    if item.is_normative and not item.validity:
        item.validity = Item.Validity.VALID
    elif not item.is_normative:
        item.validity, item.validity_since, item.successor = "", None, None
    # Table 二 of the annual report counts normative documents by kind.
    if item.is_normative and not item.normative_kind:
        item.normative_kind = NormativeKind.NORMATIVE_DOCUMENT
    elif not item.is_normative:
        item.normative_kind = ""


@transaction.atomic
def item_create(
    *, actor, column: Column, unit: Unit | None = None, data: Mapping[str, Any] | None = None, imported: bool = False
) -> Item:
    """A new draft written by `actor`. Unit accounts always write for their own unit."""
    if not actor.has_perm("disclosure.add_item"):
        raise PermissionDenied("您没有新增信息的权限。")
    unit = unit if unit is not None else unit_of(actor)
    item = Item(created_by=actor, state=Item.State.DRAFT)
    _content_apply(actor=actor, item=item, data={**(data or {}), "column": column, "unit": unit})
    _save(item)
    _revision_record(item=item, actor=actor, action=Action.IMPORTED if imported else Action.CREATED, before=None)
    return item


@transaction.atomic
def item_update(
    *,
    actor,
    item: Item,
    data: Mapping[str, Any],
    action: str = Action.EDITED,
    comment: str = "",
    expected_version: str | None = None,
) -> Item:
    """Change the content of a draft or returned item (or, for the district office, a
    published one). Nothing is recorded when nothing changed. With `expected_version` (the
    version the edit form was opened at), an edit made on an older version is refused."""
    item = _locked(item)
    access.item_require(access.items_editable_by(actor), item, "这条信息当前不能由您修改。")
    stale = item_stale_message(item, expected_version or "")
    if stale:
        raise ValidationError(stale)
    before = _state_before(item)
    _content_apply(actor=actor, item=item, data=data)
    if item_snapshot(item) == before[0]:
        return item
    _save(item)
    _revision_record(item=item, actor=actor, action=action, before=before, comment=comment)
    if item.state == Item.State.PUBLISHED:
        topics_item_published(item=item)
    return item


@transaction.atomic
def item_restore_revision(*, actor, item: Item, revision: ItemRevision) -> Item:
    """Bring back the content of an earlier version, recorded as a new change.

    Workflow data (state, publication, 索引号) and attachments stay as they are."""
    if revision.item_id != item.pk:
        raise PermissionDenied("该历史版本不属于这条信息。")
    snapshot = revision.snapshot
    data: dict[str, Any] = {}
    for name in CONTENT_FIELDS:
        if name not in snapshot:
            continue
        field = Item._meta.get_field(name)
        value = snapshot[name]
        if field.is_relation:
            value = field.related_model.objects.filter(pk=value).first() if value is not None else None
            if value is None and not field.null:
                raise ValidationError(f"该版本的“{field.verbose_name}”已不存在，无法恢复。")
        elif value is not None:
            value = field.to_python(value)
        data[name] = value
    stamp = timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M")
    return item_update(
        actor=actor, item=item, data=data, action=Action.RESTORED, comment=f"恢复为 {stamp} 的版本（记录 #{revision.pk}）"
    )


@transaction.atomic
def item_delete(*, actor, item: Item) -> None:
    """Delete unsubmitted work. Anything that was ever published is withdrawn instead."""
    item = _locked(item)
    access.item_require(access.items_deletable_by(actor), item, "只能删除从未发布过的草稿或退回稿；已发布的信息请撤回。")
    files = [attachment.file.name for attachment in item.attachments.all()]
    item.delete()
    transaction.on_commit(lambda: [Attachment.file.field.storage.delete(name) for name in files])


# --- Review workflow -------------------------------------------------------------------


def item_submit(*, actor, item: Item) -> Item:
    """Send a draft (or a corrected returned item) to the unit's reviewer.

    The pre-publication checks (disclosure.checks) run first and are recorded
    whatever they find; a finding the office set to block refuses the submission
    (ChecksBlocked, a ValidationError listing what to change)."""
    access.item_require(access.items_submittable_by(actor), item, "只能提交您可修改的草稿或退回稿。")
    run = item_check(actor=actor, item=Item.objects.get(pk=item.pk), stage=CheckStage.SUBMIT)
    check_run_require_pass(run)
    return _item_submit(actor=actor, item=item, run=run)


@transaction.atomic
def _item_submit(*, actor, item: Item, run) -> Item:
    item = _locked(item)
    access.item_require(access.items_submittable_by(actor), item, "只能提交您可修改的草稿或退回稿。")
    if not item.title.strip():
        raise ValidationError("标题为空，不能提交审核。")
    before = _state_before(item)
    item.state = Item.State.PENDING
    _save(item)
    _revision_record(item=item, actor=actor, action=Action.SUBMITTED, before=before, comment=_check_comment(run))
    return item


def _check_comment(run) -> str:
    warnings = warnings_of(run)
    return f"发布前检查：{len(warnings)} 项提示" if warnings else "发布前检查：通过"


@transaction.atomic
def item_return(*, actor, item: Item, reason: str) -> Item:
    """Send a pending (or scheduled, not yet due) item back to its editors with a reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "退回时必须填写退回原因。"})
    item = _locked(item)
    access.item_require(access.items_reviewable_by(actor), item, "您不能审核这条信息（本人撰写或修改的信息须由他人审核）。")
    before = _state_before(item)
    item.state = Item.State.RETURNED
    item.review_comment = reason
    item.reviewed_by = actor
    # A returned scheduled item keeps the 索引号 already issued (numbers are never
    # reused) but loses its date: it gets a new one when it is approved again.
    item.published_at = None
    _save(item)
    _revision_record(item=item, actor=actor, action=Action.RETURNED, before=before, comment=reason)
    return item


def item_publish(*, actor, item: Item, secrecy_confirmed: bool, at: datetime | None = None) -> Item:
    """Approve a pending item: publish it now, or at `at` (scheduled publication).

    The reviewer confirms the 保密审查 (国办发〔2017〕47号: nothing is published without
    it); the pre-publication checks (disclosure.checks) run again on the item and on the
    interpretations going live with it, and are recorded with that confirmation.
    A scheduled item is stored as published with a future 发布日期; the public
    queries (`Item.objects.published()`) show it from that moment on, with no job
    having to run. The 索引号 is issued now, in the year of publication.
    三同步: a normative document goes live together with its pending interpretations, at
    the same moment, or not at all (`interpretations_to_publish_with`)."""
    if at is not None and at <= timezone.now():
        raise ValidationError({"at": "定时发布的时间必须晚于当前时间；立即发布请不填时间。"})
    if not secrecy_confirmed:
        raise ValidationError({"secrecy_confirmed": "发布前须完成保密审查，并确认信息不涉及国家秘密、工作秘密和敏感信息。"})
    access.item_require(access.items_reviewable_by(actor), item, "您不能审核这条信息（本人撰写或修改的信息须由他人审核）。")
    item = Item.objects.get(pk=item.pk)
    runs = {}
    for checked in (item, *interpretations_to_publish_with(actor=actor, item=item)):
        runs[checked.pk] = item_check(actor=actor, item=checked, stage=CheckStage.PUBLISH, secrecy_confirmed=True)
    for run in runs.values():
        check_run_require_pass(run)
    return _item_publish(actor=actor, item=item, at=at, runs=runs)


@transaction.atomic
def _item_publish(*, actor, item: Item, at: datetime | None, runs: dict) -> Item:
    now = timezone.now()
    item = _locked(item)
    access.item_require(access.items_reviewable_by(actor), item, "您不能审核这条信息（本人撰写或修改的信息须由他人审核）。")
    if item.state != Item.State.PENDING:
        raise ValidationError("只有待审核的信息可以发布。")
    companions = [_locked(other) for other in interpretations_to_publish_with(actor=actor, item=item)]
    _publish_locked(actor=actor, item=item, published_at=at or now, scheduled=at is not None, run=runs.get(item.pk))
    for companion in companions:
        _publish_locked(
            actor=actor, item=companion, published_at=item.published_at, scheduled=at is not None,
            note=f"与《{item.title}》同步发布（三同步）", run=runs.get(companion.pk),
        )  # fmt: skip
    return item


def _publish_locked(
    *, actor, item: Item, published_at: datetime, scheduled: bool, note: str = "", run=None
) -> None:
    before = _state_before(item)
    item.state = Item.State.PUBLISHED
    item.published_at = published_at
    item.reviewed_by = actor
    item.review_comment = ""
    index_number_issue(item=item)
    _save(item)
    stamp = timezone.localtime(item.published_at).strftime("%Y-%m-%d %H:%M")
    checks = _check_comment(run) if run else ""
    parts = (f"定时于 {stamp} 发布" if scheduled else "", note, "保密审查：已确认", checks)
    comment = "；".join(part for part in parts if part)
    _revision_record(item=item, actor=actor, action=Action.PUBLISHED, before=before, comment=comment)
    topics_item_published(item=item)
    audit_record(
        action=AuditEvent.Action.ITEM_SCHEDULED if scheduled else AuditEvent.Action.ITEM_PUBLISHED,
        actor=actor,
        target=item,
        detail={
            "index_number": item.index_number, "published_at": stamp, "unit": str(item.unit),
            "secrecy_confirmed": True, "check_run": run.pk if run else None,
        },
    )  # fmt: skip


@transaction.atomic
def item_withdraw(*, actor, item: Item, reason: str) -> Item:
    """Take a published item off the public lists. It keeps its 索引号 and its page,
    which says it was withdrawn and why; it is never deleted."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "撤回时必须填写撤回原因。"})
    item = _locked(item)
    access.item_require(access.items_withdrawable_by(actor), item, "您不能撤回这条信息。")
    before = _state_before(item)
    item.state = Item.State.WITHDRAWN
    item.withdrawn_reason = reason
    item.withdrawn_at = timezone.now()
    _save(item)
    _revision_record(item=item, actor=actor, action=Action.WITHDRAWN, before=before, comment=reason)
    audit_record(
        action=AuditEvent.Action.ITEM_WITHDRAWN, actor=actor, target=item,
        detail={"index_number": item.index_number, "reason": reason},
    )  # fmt: skip
    return item


@transaction.atomic
def item_set_validity(
    *, actor, item: Item, validity: str, since: date | None, successor: Item | None = None
) -> Item:
    """Mark a published normative document 有效/失效/废止 (国办发〔2017〕47号): it stays
    published, its page shows the fact, the date and the document replacing it."""
    if validity not in Item.Validity.values:
        raise ValidationError({"validity": "请选择有效、失效或废止。"})
    if validity != Item.Validity.VALID and since is None:
        raise ValidationError({"since": "标记为失效或废止时必须填写日期。"})
    item = _locked(item)
    access.item_require(access.items_validity_changeable_by(actor), item, "您不能变更这条信息的有效性。")
    if successor is not None:
        if successor.pk == item.pk or not access.items_linkable_by(actor).filter(pk=successor.pk).exists():
            raise ValidationError({"successor": "替代文件须是您可见的另一条已发布信息。"})
    before = _state_before(item)
    item.validity = validity
    item.validity_since = since
    item.successor = successor
    _save(item)
    comment = f"{item.get_validity_display()}" + (f"，自 {since:%Y-%m-%d} 起" if since else "")
    _revision_record(item=item, actor=actor, action=Action.VALIDITY, before=before, comment=comment)
    audit_record(
        action=AuditEvent.Action.ITEM_VALIDITY, actor=actor, target=item,
        detail={"validity": validity, "since": _raw(since), "successor": successor.index_number if successor else ""},
    )  # fmt: skip
    return item


# --- Attachments ---------------------------------------------------------------------


@transaction.atomic
def attachment_add(*, actor, item: Item, file, name: str = "") -> Attachment:
    """Attach an uploaded file after checking its size, kind and real content."""
    item = _locked(item)
    access.item_require(access.items_editable_by(actor), item, "这条信息当前不能由您修改。")
    content_type = validate_attachment(file)
    before = _state_before(item)
    position = (item.attachments.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    display_name = (name or file.name.rsplit("/", 1)[-1]).strip()[:200]
    attachment = Attachment(item=item, file=file, name=display_name, size=file.size, content_type=content_type, position=position)
    attachment.full_clean(exclude=("file",))
    attachment.save()
    _revision_record(item=item, actor=actor, action=Action.EDITED, before=before, comment=f"添加附件“{display_name}”")
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    item = _locked(attachment.item)
    access.item_require(access.items_editable_by(actor), item, "这条信息当前不能由您修改。")
    before = _state_before(item)
    stored_name = attachment.file.name
    attachment.delete()
    # Earlier versions keep the attachment's name only: the file itself goes.
    transaction.on_commit(lambda: Attachment.file.field.storage.delete(stored_name))
    _revision_record(item=item, actor=actor, action=Action.EDITED, before=before, comment=f"删除附件“{attachment.name}”")
