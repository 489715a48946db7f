"""The acceptance of issue 13 in a real browser: a consultation from draft to feedback, a 专栏
filled by rules, a normative document refused without its interpretation and published with it."""

import datetime
import re

from playwright.sync_api import expect

from disclosure import services
from disclosure.consultations.models import Comment, Consultation
from disclosure.models import Item
from tests.browser.test_review_flow import log_in
from tests.disclosure.staff import COLUMN_A, UNIT_A, column, district_officer, editor_of, reviewer_of, unit


def test_consultation_from_draft_to_feedback(site, page):
    a = unit(UNIT_A)
    editor, reviewer = editor_of(a), reviewer_of(a)
    today = datetime.date.today()

    # The unit's editor writes the draft.
    log_in(page, site, editor)
    page.goto(site.url + "/admin/consultations/consultation/add/")
    page.get_by_label("标题").fill("关于《芙蓉区行政执法公示办法（征求意见稿）》公开征求意见的公告")
    page.get_by_label("拟出台的政策文件").fill("芙蓉区行政执法公示办法")
    page.get_by_label("征求意见稿正文与起草说明").fill("<p>第一条 为规范行政执法公示……</p>")
    page.locator("#id_opens_on").fill(today.isoformat())
    page.locator("#id_closes_on").fill((today + datetime.timedelta(days=30)).isoformat())
    page.get_by_label("意见反馈联系方式").fill("区司法局法制股，电话 0731-84000000")
    page.get_by_label("涉企政策").check()
    page.get_by_label("公开显示经审核的意见").check()
    page.locator('input[name="_continue"]').click()
    expect(page.locator(".messagelist")).to_contain_text("成功")
    consultation = Consultation.objects.get(policy_title="芙蓉区行政执法公示办法")
    assert consultation.state == Consultation.State.DRAFT

    # The reviewer publishes it.
    log_in(page, site, reviewer)
    page.goto(site.url + f"/admin/consultations/consultation/{consultation.pk}/change/")
    page.get_by_role("button", name="发布征求意见").click()
    expect(page.locator(".messagelist")).to_contain_text("开始征求意见")

    # A business comments without an account; its contact is never shown.
    page.context.clear_cookies()
    page.goto(site.url + "/")
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="意见征集").click()
    page.get_by_role("link", name=consultation.title).first.click()
    page.get_by_role("link", name="我要提意见").click()
    page.get_by_label("企业", exact=True).check()
    page.get_by_label("姓名或单位名称（选填）").fill("长沙某某科技有限公司")
    page.get_by_label("联系方式（选填，不会公开）").fill("13800000000")
    page.get_by_label("意见内容").fill("建议明确公示的时限。")
    page.get_by_role("button", name="提交意见").click()
    expect(page.locator("h1")).to_have_text("您的意见已收到")
    comment = Comment.objects.get()
    assert comment.kind == Comment.Kind.ENTERPRISE

    # The editor approves it and records that it was adopted.
    log_in(page, site, editor)
    page.goto(site.url + f"/admin/consultations/comment/{comment.pk}/change/")
    page.get_by_label("采纳情况").select_option("adopted")
    page.get_by_label("理由或说明").fill("已在第五条明确公示时限为七个工作日。")
    page.locator('input[name="_save"]').click()
    expect(page.locator(".messagelist")).to_contain_text("成功")

    # The period ends; the reviewer publishes the feedback.
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_on=today - datetime.timedelta(days=31), closes_on=today - datetime.timedelta(days=1)
    )
    log_in(page, site, reviewer)
    page.goto(site.url + f"/admin/consultations/consultation/{consultation.pk}/change/")
    page.get_by_role("link", name="发布采纳情况反馈").click()
    page.get_by_label("意见采纳情况说明").fill("征求意见期间共收到意见1条，采纳1条。")
    page.get_by_role("button", name="发布意见采纳情况反馈").click()
    expect(page.locator(".messagelist")).to_contain_text("已发布")

    # The public reads what was adopted and why; the contact stays private. (The page may be
    # kept five minutes by browsers; a query string stands for a visitor who has not seen it.)
    page.context.clear_cookies()
    page.goto(site.url + consultation.get_absolute_url() + "?after-feedback")
    feedback = page.get_by_role("region", name="意见采纳情况反馈")
    expect(feedback).to_contain_text("共收到意见 1 条（其中企业 1 条")
    expect(page.locator(".comment-list")).to_contain_text("已在第五条明确公示时限为七个工作日。")
    expect(page.locator("body")).not_to_contain_text("13800000000")


def test_topic_filled_by_rules(site, page):
    a = unit(UNIT_A)
    editor, reviewer = editor_of(a), reviewer_of(a)
    item = services.item_create(
        actor=editor, column=column(COLUMN_A), data={"title": "芙蓉区优化营商环境行政执法十条措施"}
    )
    services.item_publish(secrecy_confirmed=True, actor=reviewer, item=services.item_submit(actor=editor, item=item))

    page.goto(site.url + "/")
    topics = page.get_by_role("region", name="专题专栏")
    topics.get_by_role("link", name="优化营商环境").click()
    expect(page.locator("h1")).to_have_text("优化营商环境")
    expect(page.locator(".item-list")).to_contain_text("芙蓉区优化营商环境行政执法十条措施")
    page.get_by_role("link", name="政策文件").click()
    expect(page.locator(".item-list")).to_contain_text("芙蓉区优化营商环境行政执法十条措施")
    page.get_by_role("link", name="政策解读").click()
    expect(page.locator(".empty")).to_have_text("暂无信息")


def test_normative_document_refused_without_interpretation_and_published_with_it(site, page):
    a = unit(UNIT_A)
    editor, reviewer = editor_of(a), reviewer_of(a)
    document = services.item_create(
        actor=editor, column=column(COLUMN_A), data={"title": "芙蓉区行政执法公示办法", "is_normative": True}
    )
    services.item_submit(actor=editor, item=document)

    log_in(page, site, reviewer)
    page.goto(site.url + f"/admin/disclosure/item/{document.pk}/review/")
    expect(page.get_by_role("region", name="三同步：文件与解读材料")).to_contain_text("不能发布")
    page.get_by_label("审核通过，立即发布").check()
    page.get_by_label(re.compile("已完成保密审查")).check()
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.locator(".errornote, .errorlist").first).to_contain_text("三同步")
    assert Item.objects.get(pk=document.pk).state == Item.State.PENDING

    # The drafting unit writes the interpretation (谁起草、谁解读) and submits it.
    interpretation = services.item_create(
        actor=editor, column=column(COLUMN_A),
        data={"title": "《芙蓉区行政执法公示办法》政策解读", "interprets": document, "genre": "interpretation"},
    )  # fmt: skip
    services.item_submit(actor=editor, item=interpretation)

    page.goto(site.url + f"/admin/disclosure/item/{document.pk}/review/")
    expect(page.get_by_role("region", name="三同步：文件与解读材料")).to_contain_text(interpretation.title)
    page.get_by_label("审核通过，立即发布").check()
    page.get_by_label(re.compile("已完成保密审查")).check()
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.locator(".messagelist")).to_contain_text("已发布")

    document.refresh_from_db()
    interpretation.refresh_from_db()
    assert interpretation.published_at == document.published_at
    page.context.clear_cookies()
    page.goto(site.url + document.get_absolute_url())
    page.get_by_role("link", name=interpretation.title).click()
    expect(page.locator(".notice")).to_contain_text("芙蓉区行政执法公示办法")


def test_evaluation_reaches_the_offices_chart(site, page):
    page.goto(site.url + "/")
    page.get_by_role("link", name="社会评议：评价我们的政务公开工作").click()
    page.get_by_role("group", name="一 政府信息公开指南").get_by_label("非常满意").check()
    page.get_by_role("group", name="二 政府信息公开制度").get_by_label("不满意", exact=True).check()
    page.get_by_role("group", name="政府信息发布是否及时").get_by_label("满意", exact=True).check()
    page.get_by_role("group", name="查找所需信息是否便捷").get_by_label("基本满意").check()
    page.get_by_label("意见建议（选填）").fill("希望政策文件配发图解。")
    page.get_by_role("button", name="提交评议").click()
    expect(page.locator("h1")).to_have_text("感谢您的评议")

    log_in(page, site, district_officer())
    page.goto(site.url + "/admin/tasks/task/office/")
    page.get_by_role("navigation", name="工作台导航").get_by_role("link", name="社会评议").click()
    chart = page.get_by_role("img", name="各栏目满意率")
    expect(chart).to_be_visible()
    expect(chart.locator("desc")).to_contain_text("政府信息公开指南：100%")
    expect(chart.locator("desc")).to_contain_text("政府信息公开制度：0%")
    expect(page.get_by_role("region", name="最新意见建议")).to_contain_text("希望政策文件配发图解。")
