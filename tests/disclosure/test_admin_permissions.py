"""Adversarial tests: every role tries every admin entry point on another unit's items,
by URL and by forged form data. Unit A is 区司法局, unit B 区财政局 (tests/disclosure/staff.py)."""

import pytest
from django.urls import reverse

from disclosure import services
from disclosure.models import Item
from responsibility.models import AuditEvent, Unit
from tests.disclosure.admin_helpers import CSV_HEADER, csv_upload, export_form, item_form
from tests.disclosure.staff import (
    COLUMN_A, COLUMN_B, UNIT_A, UNIT_B, column, audit_admin, district_officer, editor_of, exempted, reviewer_of,
    system_admin, unit,
)  # fmt: skip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ATTACKERS = ("editor_a", "reviewer_a")
TARGETS = ("b_draft", "b_pending", "b_published", "b_normative")


@pytest.fixture
def world(seed):
    a, b = unit(UNIT_A), unit(UNIT_B)
    people = {
        "editor_a": editor_of(a), "editor_a2": editor_of(a, "editor-a2"), "reviewer_a": reviewer_of(a),
        "editor_b": editor_of(b), "reviewer_b": reviewer_of(b), "office": district_officer(),
        "sysadmin": system_admin(), "auditor": audit_admin(),
    }  # fmt: skip
    eb, rb = people["editor_b"], people["reviewer_b"]

    def create(title, **data):
        return services.item_create(actor=eb, column=column(COLUMN_B), data={"title": title, **data})

    def submitted(title, **data):
        return services.item_submit(actor=eb, item=create(title, **data))

    items = {
        "b_draft": create("乙单位草稿"),
        "b_pending": submitted("乙单位待审"),
        "b_published": services.item_publish(secrecy_confirmed=True, actor=rb, item=submitted("乙单位已发布")),
        "b_normative": services.item_publish(secrecy_confirmed=True, actor=rb, item=exempted(submitted("乙单位规范性文件", is_normative=True))),
        "a_draft": services.item_create(actor=people["editor_a"], column=column(COLUMN_A), data={"title": "甲单位草稿"}),
    }
    return {**people, **items, "a": a, "b": b}


def state_of(item):
    fresh = Item.objects.get(pk=item.pk)
    return (fresh.title, fresh.state, fresh.unit_id, fresh.column_id, fresh.validity, fresh.revisions.count())


def url(name, *args):
    return reverse(f"admin:disclosure_item_{name}", args=args)


@pytest.mark.parametrize("attacker", ATTACKERS)
def test_list_never_shows_another_units_items(client, world, attacker):
    client.force_login(world[attacker])
    page = client.get(url("changelist")).content.decode()
    for target in TARGETS:
        assert world[target].title not in page
    # Not even by filtering on the other unit's column, unit or searching its title.
    b = world["b"]
    for query in ({"column": column(COLUMN_B).pk}, {"unit": b.pk}, {"q": "乙单位"}):
        page = client.get(url("changelist"), query).content.decode()
        assert not any(world[target].title in page for target in TARGETS)


@pytest.mark.parametrize("attacker", ATTACKERS)
@pytest.mark.parametrize("target", TARGETS)
def test_change_page_and_forged_change_post_fail(client, world, attacker, target):
    item = world[target]
    before = state_of(item)
    client.force_login(world[attacker])
    response = client.get(url("change", item.pk))
    assert response.status_code == 302 and item.title not in client.get(response.url).content.decode()
    client.post(url("change", item.pk), item_form(column=column(COLUMN_A), title="篡改"))
    assert state_of(item) == before


@pytest.mark.parametrize("attacker", ATTACKERS)
@pytest.mark.parametrize("target", TARGETS)
def test_delete_history_and_every_workflow_url_fail(client, world, attacker, target):
    item = world[target]
    before = state_of(item)
    revision = item.revisions.first()
    client.force_login(world[attacker])
    assert client.post(url("delete", item.pk), {"post": "yes"}).status_code in (302, 403)
    assert client.get(url("history", item.pk)).status_code == 404
    for name in ("review", "withdraw", "validity"):
        assert client.get(url(name, item.pk)).status_code == 404
    assert client.post(url("submit", item.pk)).status_code == 404
    assert client.post(url("review", item.pk), {"decision": "publish", "secrecy_confirmed": "on"}).status_code == 404
    assert client.post(url("review", item.pk), {"decision": "return", "reason": "x"}).status_code == 404
    assert client.post(url("withdraw", item.pk), {"reason": "x"}).status_code == 404
    assert client.post(url("validity", item.pk), {"validity": "repealed", "since": "2020-01-01"}).status_code == 404
    assert client.post(url("restore", item.pk, revision.pk)).status_code == 404
    assert state_of(item) == before


def test_restore_with_another_items_revision_fails(client, world):
    own = world["a_draft"]
    before = state_of(own)
    client.force_login(world["editor_a"])
    foreign_revision = world["b_draft"].revisions.first()
    assert client.post(url("restore", own.pk, foreign_revision.pk)).status_code == 404
    assert state_of(own) == before


@pytest.mark.parametrize("attacker", ATTACKERS)
@pytest.mark.parametrize(
    "action, extra",
    [
        ("submit_selected", {}),
        ("publish_selected", {"apply": "yes", "secrecy_confirmed": "on"}),
        ("return_selected", {"apply": "yes", "reason": "越权退回"}),
        ("withdraw_selected", {"apply": "yes", "reason": "越权撤回"}),
    ],
)
def test_every_action_ignores_another_units_items_in_forged_post(client, world, attacker, action, extra):
    before = {target: state_of(world[target]) for target in TARGETS}
    client.force_login(world[attacker])
    client.post(
        url("changelist"),
        {"action": action, "_selected_action": [str(world[target].pk) for target in TARGETS], **extra},
    )
    assert {target: state_of(world[target]) for target in TARGETS} == before


@pytest.mark.parametrize("attacker", ATTACKERS)
def test_export_holds_only_the_accounts_items_even_with_forged_selection(client, world, attacker):
    client.force_login(world[attacker])
    response = client.post(url("export"), export_form())
    assert response["Content-Type"].startswith("text/csv")
    content = response.content.decode("utf-8-sig")
    assert content.startswith("索引号,栏目,发布机构,标题") and "乙单位" not in content
    if attacker == "editor_a":
        assert "甲单位草稿" in content
    forged = client.post(url("export"), export_form(export_items=[str(world[t].pk) for t in TARGETS]))
    assert "乙单位" not in forged.content.decode("utf-8-sig")


def test_export_is_the_filtered_list(client, world):
    client.force_login(world["office"])
    content = client.post(url("export") + "?state=draft", export_form()).content.decode("utf-8-sig")
    assert "乙单位草稿" in content and "甲单位草稿" in content
    assert "乙单位已发布" not in content and "乙单位待审" not in content
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DATA_EXPORTED, actor=world["office"]).exists()


def test_import_refuses_another_units_column_and_unit_and_writes_nothing(client, world):
    client.force_login(world["editor_a"])
    count = Item.objects.count()
    sheet = CSV_HEADER + f"{COLUMN_B},,越权导入一,,,,,,否,\n{COLUMN_A},{UNIT_B},越权导入二,,,,,,否,\n"
    response = client.post(url("import"), {"format": "0", "resource": "0", "import_file": csv_upload(sheet)})
    page = response.content.decode()
    assert "表格第 2 行" in page and "不是本单位负责的栏目" in page
    assert "表格第 3 行" in page and "不能以该单位的名义" in page
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert Item.objects.count() == count


@pytest.mark.parametrize("attacker", ATTACKERS)
def test_autocomplete_offers_no_other_units_items(client, world, attacker):
    client.force_login(world[attacker])
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "乙单位", "app_label": "disclosure", "model_name": "item", "field_name": "interprets"},
    )
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert response.json()["results"] == []


def test_forged_add_with_another_units_column_is_rejected(client, world):
    client.force_login(world["editor_a"])
    count = Item.objects.count()
    response = client.post(url("add"), item_form(column=column(COLUMN_B), title="伪造栏目"))
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert Item.objects.count() == count


def test_forged_unit_in_add_form_is_ignored(client, world):
    client.force_login(world["editor_a"])
    client.post(url("add"), item_form(column=column(COLUMN_A), title="伪造单位", unit=str(world["b"].pk)))
    assert Item.objects.get(title="伪造单位").unit == world["a"]


def test_forged_interprets_pointing_to_another_units_item_is_rejected(client, world):
    client.force_login(world["editor_a"])
    item = world["a_draft"]
    response = client.post(
        url("change", item.pk), item_form(column=column(COLUMN_A), title="改", interprets=str(world["b_published"].pk))
    )
    assert response.status_code == 200 and Item.objects.get(pk=item.pk).interprets_id is None


def test_another_editors_unsubmitted_draft_in_the_same_unit_is_private(client, world):
    draft = world["a_draft"]
    client.force_login(world["editor_a2"])
    assert draft.title not in client.get(url("changelist")).content.decode()
    assert client.get(url("change", draft.pk)).status_code == 302
    assert client.get(url("history", draft.pk)).status_code == 404


def test_reviewer_cannot_write_content_or_add(client, world):
    item = services.item_submit(actor=world["editor_a"], item=world["a_draft"])
    before = state_of(item)
    client.force_login(world["reviewer_a"])
    assert client.get(url("add")).status_code == 403
    assert client.post(url("change", item.pk), item_form(column=column(COLUMN_A), title="审核员改")).status_code == 403
    assert client.get(url("import")).status_code == 403
    assert state_of(item) == before


def test_editor_cannot_review_their_own_units_pending_item(client, world):
    item = services.item_submit(actor=world["editor_a"], item=world["a_draft"])
    client.force_login(world["editor_a"])
    assert client.post(url("review", item.pk), {"decision": "publish", "secrecy_confirmed": "on"}).status_code == 404
    client.post(url("changelist"), {"action": "publish_selected", "_selected_action": [str(item.pk)], "apply": "yes", "secrecy_confirmed": "on"})
    assert Item.objects.get(pk=item.pk).state == Item.State.PENDING


@pytest.mark.parametrize("role", ("editor_b", "reviewer_b", "office"))
def test_nobody_deletes_a_published_item(client, world, role):
    item = world["b_published"]
    client.force_login(world[role])
    assert client.get(url("delete", item.pk)).status_code in (302, 403)
    client.post(url("delete", item.pk), {"post": "yes"})
    assert Item.objects.filter(pk=item.pk).exists()


def test_bulk_delete_action_is_not_offered(client, world):
    client.force_login(world["office"])
    client.post(url("changelist"), {"action": "delete_selected", "_selected_action": [str(world["b_draft"].pk)], "post": "yes"})
    assert Item.objects.filter(pk=world["b_draft"].pk).exists()


def test_district_office_sees_every_unit_and_publishes_anything(client, world):
    client.force_login(world["office"])
    page = client.get(url("changelist")).content.decode()
    assert "乙单位待审" in page and "乙单位已发布" in page
    client.post(url("review", world["b_pending"].pk), {"decision": "publish", "secrecy_confirmed": "on"})
    assert Item.objects.get(pk=world["b_pending"].pk).state == Item.State.PUBLISHED


# --- The district office's and the administrators' own admin -----------------------------

# page → who reaches it (三权分立: accounts are the 系统管理员's, the audit log the 审计管理员's).
OFFICE_ONLY = {
    "responsibility_unit_changelist": "office", "responsibility_collective_changelist": "office",
    "responsibility_alias_changelist": "office", "responsibility_column_changelist": "office",
    "responsibility_unit_import": "office", "responsibility_column_export": "office",
    "responsibility_auditevent_changelist": "auditor", "auth_user_changelist": "sysadmin",
    "auth_group_changelist": "sysadmin",
}  # fmt: skip


@pytest.mark.parametrize("role", ("editor_a", "reviewer_a"))
@pytest.mark.parametrize("name", OFFICE_ONLY)
def test_unit_accounts_never_reach_the_offices_admin(client, world, role, name):
    client.force_login(world[role])
    assert client.get(reverse(f"admin:{name}")).status_code == 403


@pytest.mark.parametrize("name", OFFICE_ONLY)
def test_each_page_is_reached_by_its_owner_alone(client, world, name):
    owner = OFFICE_ONLY[name]
    for role in ("office", "sysadmin", "auditor"):
        client.force_login(world[role])
        assert client.get(reverse(f"admin:{name}")).status_code == (200 if role == owner else 403), role


@pytest.mark.parametrize("role", ("editor_a", "reviewer_a"))
def test_forged_post_to_units_and_accounts_fails(client, world, role):
    client.force_login(world[role])
    b = world["b"]
    response = client.post(reverse("admin:responsibility_unit_change", args=(b.pk,)), {"name": "篡改", "kind": b.kind})
    assert response.status_code == 403 and Unit.objects.get(pk=b.pk).name == UNIT_B
    victim = world["editor_b"]
    response = client.post(reverse("admin:auth_user_change", args=(victim.pk,)), {"username": "hijacked"})
    assert response.status_code == 403
    assert not type(victim).objects.filter(username="hijacked").exists()


def test_the_system_administrator_cannot_touch_superusers_or_grant_superuser(client, world):
    root = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(world["sysadmin"])
    assert client.get(reverse("admin:auth_user_change", args=(root.pk,))).status_code == 302
    page = client.get(reverse("admin:auth_user_change", args=(world["editor_b"].pk,))).content.decode()
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
