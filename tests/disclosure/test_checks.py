"""Pre-publication checks: 错敏词, links, attachments and the 保密审查, on submission and
on approval, blocking or warning as the office configures, every run logged."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from disclosure import services
from disclosure.checks.models import CheckPolicy, CheckRun, LinkStatus, SensitiveTerm, Severity
from disclosure.checks.rules import item_findings
from disclosure.models import Item
from tests.disclosure.public_data import attach, publish
from tests.disclosure.staff import COLUMN_A, column, district_officer

pytestmark = pytest.mark.django_db


def draft(editor, **data):
    return services.item_create(actor=editor, column=column(COLUMN_A), data={"title": "关于执法公示的通知", **data})


@pytest.fixture
def terms(seed):
    SensitiveTerm.objects.create(term="国家工商行政管理总局", suggestion="国家市场监督管理总局", note="2018年机构改革后已撤销")
    SensitiveTerm.objects.create(term="台湾政府", suggestion="台湾当局", severity=Severity.BLOCK)
    SensitiveTerm.objects.create(term="停用词", severity=Severity.BLOCK, is_active=False)


def messages(item):
    return [finding.message for finding in item_findings(item)]


def test_a_sensitive_term_is_found_with_its_place_context_and_suggestion(editor, terms):
    item = draft(editor, body="<p>根据国家工商行政管理总局的规定，现通知如下。</p>")
    [message] = messages(item)
    assert message.startswith("正文含错敏词“国家工商行政管理总局”")
    assert "【国家工商行政管理总局】的规定" in message and "建议改为“国家市场监督管理总局”" in message
    assert "2018年机构改革后已撤销" in message


def test_terms_match_in_the_title_across_full_width_forms_and_inactive_terms_are_ignored(editor, terms):
    SensitiveTerm.objects.create(term="ABC局", suggestion="新局")
    item = draft(editor, title="关于ＡＢＣ局停用词的通知")
    [finding] = item_findings(item)
    assert finding.message.startswith("标题含错敏词“ABC局”")


def test_a_blocking_term_refuses_submission_and_the_refusal_is_logged(editor, terms):
    item = draft(editor, body="<p>与台湾政府有关的事项。</p>")
    with pytest.raises(ValidationError) as error:
        services.item_submit(actor=editor, item=item)
    assert "台湾政府" in " ".join(error.value.messages) and "台湾当局" in " ".join(error.value.messages)
    assert Item.objects.get(pk=item.pk).state == Item.State.DRAFT
    run = CheckRun.objects.get(item=item)
    assert (run.stage, run.outcome, run.actor) == (CheckRun.Stage.SUBMIT, CheckRun.Outcome.BLOCKED, editor)
    assert run.findings[0]["severity"] == "block"


def test_a_warning_lets_the_submission_through_and_is_recorded_in_the_history(editor, terms):
    item = services.item_submit(actor=editor, item=draft(editor, body="<p>国家工商行政管理总局</p>"))
    assert item.state == Item.State.PENDING
    assert CheckRun.objects.get(item=item).outcome == CheckRun.Outcome.WARNED
    assert item.revisions.first().comment == "发布前检查：1 项提示"


def test_the_office_decides_whether_a_term_blocks(editor, terms):
    SensitiveTerm.objects.filter(term="台湾政府").update(severity=Severity.WARN)
    item = services.item_submit(actor=editor, item=draft(editor, body="<p>台湾政府</p>"))
    assert item.state == Item.State.PENDING


def test_publishing_needs_the_secrecy_confirmation_and_records_it(editor, reviewer):
    item = services.item_submit(actor=editor, item=draft(editor))
    with pytest.raises(ValidationError, match="保密审查"):
        services.item_publish(actor=reviewer, item=item, secrecy_confirmed=False)
    assert Item.objects.get(pk=item.pk).state == Item.State.PENDING
    item = services.item_publish(actor=reviewer, item=item, secrecy_confirmed=True)
    run = CheckRun.objects.get(item=item, stage=CheckRun.Stage.PUBLISH)
    assert run.secrecy_confirmed and run.actor == reviewer and run.outcome == CheckRun.Outcome.PASSED
    assert "保密审查：已确认" in item.revisions.first().comment


def test_checks_run_again_on_approval(editor, reviewer, terms):
    item = services.item_submit(actor=editor, item=draft(editor))
    SensitiveTerm.objects.create(term="执法公示", severity=Severity.BLOCK, suggestion="行政执法公示")
    with pytest.raises(ValidationError, match="执法公示"):
        services.item_publish(actor=reviewer, item=item, secrecy_confirmed=True)
    assert Item.objects.get(pk=item.pk).state == Item.State.PENDING
    assert CheckRun.objects.filter(item=item, stage=CheckRun.Stage.PUBLISH, outcome=CheckRun.Outcome.BLOCKED).exists()


def test_an_outsider_cannot_run_checks_on_an_item(editor, seed):
    from tests.disclosure.staff import UNIT_B, editor_of, unit

    item = draft(editor)
    with pytest.raises(Exception):
        services.item_submit(actor=editor_of(unit(UNIT_B)), item=item)
    assert not CheckRun.objects.exists()


def test_links_to_missing_or_unpublished_pages_of_this_site_warn(editor, seed):
    public = publish(title="已发布")
    body = (
        f'<p><a href="/items/{public.pk}/">有效</a> <a href="/items/999999/">无效信息</a> '
        '<a href="/columns/no-such-column/">无效栏目</a> <a href="/nowhere/">无此页面</a> '
        '<a href="mailto:a@b.cn">邮件</a> <a href="#top">锚点</a></p>'
    )
    found = item_findings(draft(editor, body=body))
    assert [f.kind for f in found] == [CheckPolicy.Kind.INTERNAL_LINK] * 3
    assert all(f.severity == Severity.WARN for f in found)
    assert "“/items/999999/”：链接的信息不存在或尚未公开" in found[0].message


def test_an_outside_link_the_link_checker_found_broken_warns(editor, seed):
    LinkStatus.objects.create(url="https://example.gov.cn/gone", is_broken=True, status_code=404)
    LinkStatus.objects.create(url="https://example.gov.cn/fine", is_broken=False, status_code=200)
    item = draft(editor, body='<p><a href="https://example.gov.cn/gone">失效</a><a href="https://example.gov.cn/fine">有效</a></p>')
    [finding] = item_findings(item)
    assert finding.kind == CheckPolicy.Kind.EXTERNAL_LINK and "HTTP 404" in finding.message


def test_a_relative_address_without_a_leading_slash_is_reported(editor, seed):
    [finding] = item_findings(draft(editor, body='<p><a href="items/1/">相对地址</a></p>'))
    assert finding.kind == CheckPolicy.Kind.UNSAFE_LINK and finding.blocks


def test_attachments_named_in_the_body_must_be_uploaded(editor, seed):
    item = draft(editor, body="<p>附件：申报表</p>")
    [finding] = item_findings(item)
    assert finding.kind == CheckPolicy.Kind.ATTACHMENT_MENTIONED
    attach(item, "pdf")
    assert item_findings(item) == []


def test_a_missing_attachment_file_blocks(editor, seed):
    item = draft(editor)
    attachment = attach(item, "pdf")
    attachment.file.storage.delete(attachment.file.name)
    [finding] = item_findings(item)
    assert finding.kind == CheckPolicy.Kind.ATTACHMENT_FILE and finding.blocks


def test_a_check_the_office_turns_off_finds_nothing(editor, seed):
    CheckPolicy.objects.filter(kind=CheckPolicy.Kind.ATTACHMENT_MENTIONED).update(severity=Severity.OFF)
    assert item_findings(draft(editor, body="<p>附件1：申报表</p>")) == []


def test_the_review_page_shows_findings_and_asks_for_the_secrecy_confirmation(client, editor, reviewer, terms):
    item = services.item_submit(actor=editor, item=draft(editor, body="<p>国家工商行政管理总局</p>"))
    client.force_login(reviewer)
    url = reverse("admin:disclosure_item_review", args=(item.pk,))
    page = client.get(url).content.decode()
    assert "国家市场监督管理总局" in page and "保密审查" in page
    response = client.post(url, {"decision": "publish"})
    assert "发布前须完成保密审查并勾选确认" in response.content.decode()
    assert Item.objects.get(pk=item.pk).state == Item.State.PENDING
    client.post(url, {"decision": "publish", "secrecy_confirmed": "on"})
    assert Item.objects.get(pk=item.pk).state == Item.State.PUBLISHED


def test_only_the_district_office_keeps_the_term_list(client, editor, reviewer, seed):
    url = reverse("admin:checks_sensitiveterm_changelist")
    for user in (editor, reviewer):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(district_officer())
    assert client.get(url).status_code == 200
    assert client.post(reverse("admin:checks_sensitiveterm_add"), {"term": "旧称", "suggestion": "新称", "severity": "block", "is_active": "on"}).status_code == 302
    assert SensitiveTerm.objects.get(term="旧称").severity == Severity.BLOCK
