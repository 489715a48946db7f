"""Reports with evidence, the office's review, and the record they leave."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from disclosure.models import Item
from responsibility.access import ROLE_DISTRICT_OFFICE
from tasks.models import EvidenceFile, ProgressReport, Task, TaskReview
from tasks.services import EVIDENCE_MAX_SIZE, progress_report_submit, task_review
from tests.factories import ItemFactory

from .conftest import PDF, pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(mini):
    return mini.task(mini.p1, mini.a)


@pytest.fixture
def author(make_staff, mini):
    return make_staff("jia", unit=mini.a)


@pytest.fixture
def reviewer(make_staff):
    return make_staff("office", role=ROLE_DISTRICT_OFFICE)


def submit(task, author, **kwargs):
    kwargs.setdefault("reported_on", timezone.localdate())
    kwargs.setdefault("text", "已完成。")
    return progress_report_submit(task=task, author=author, **kwargs)


def final(task, author, **kwargs):
    kwargs.setdefault("public_summary", "已集中公开。")
    kwargs.setdefault("files", [pdf_upload()])
    return submit(task, author, is_final=True, **kwargs)


def test_an_interim_report_puts_the_task_in_progress(task, author):
    submit(task, author)
    task.refresh_from_db()
    assert task.state == Task.State.IN_PROGRESS


def test_a_final_report_with_an_own_item_puts_the_task_in_review(task, author, mini):
    item = ItemFactory(unit=mini.a)
    report = final(task, author, evidence_items=[item], files=[])
    task.refresh_from_db()
    assert task.state == Task.State.IN_REVIEW
    assert list(report.evidence_items.all()) == [item]


def test_uploaded_evidence_is_stored_privately(task, author, private_media):
    report = final(task, author)
    evidence = report.files.get()
    assert (evidence.name, evidence.size, evidence.content_type) == ("佐证.pdf", len(PDF), "application/pdf")
    assert evidence.file.path.startswith(str(private_media))
    assert evidence.file.read() == PDF
    assert evidence.file.url.startswith("/files/")  # the permission-checking view, never a public path


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"public_summary": ""}, "public_summary", "公开进展摘要"),
        ({"files": []}, "evidence_items", "至少一项佐证"),
        ({"text": "  "}, "text", "请填写进展情况"),
        ({"reported_on": date(2025, 2, 28)}, "reported_on", "不能早于工作要点印发日期"),
    ],
)
def test_an_incomplete_final_report_is_refused(task, author, kwargs, field, message):
    with pytest.raises(ValidationError) as caught:
        final(task, author, **kwargs)
    assert message in " ".join(caught.value.message_dict[field])
    assert not ProgressReport.objects.exists()


def test_a_report_cannot_be_dated_in_the_future(task, author):
    with pytest.raises(ValidationError, match="不能晚于今天"):
        submit(task, author, reported_on=timezone.localdate() + timedelta(days=1))


def test_another_units_item_is_refused_as_evidence(task, author, mini):
    foreign = ItemFactory(unit=mini.b, title="乙单位的信息")
    with pytest.raises(ValidationError) as caught:
        final(task, author, evidence_items=[foreign], files=[])
    assert "乙单位的信息" in caught.value.message_dict["evidence_items"][0]
    assert not ProgressReport.objects.exists()


def test_an_unpublished_own_item_is_refused_as_evidence(task, author, mini):
    draft = ItemFactory(unit=mini.a, state=Item.State.DRAFT, published_at=None, index_number=None)
    scheduled = ItemFactory(unit=mini.a, published_at=timezone.now() + timedelta(days=2))
    with pytest.raises(ValidationError):
        final(task, author, evidence_items=[draft, scheduled], files=[])


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("run.exe", b"MZ\x90\x00", content_type="application/octet-stream"), "不是可接受的佐证文件类型"),
        (SimpleUploadedFile("fake.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"), "内容不是扩展名所示"),
        (SimpleUploadedFile("big.pdf", PDF + b"0" * EVIDENCE_MAX_SIZE, content_type="application/pdf"), "超过了佐证文件"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_written(task, author, upload, message, private_media):
    with pytest.raises(ValidationError) as caught:
        final(task, author, files=[pdf_upload(), upload])
    assert message in " ".join(caught.value.message_dict["files"])
    assert not ProgressReport.objects.exists() and not EvidenceFile.objects.exists()
    assert not private_media.exists() or not any(private_media.rglob("*.pdf"))


def test_files_already_written_are_removed_when_the_report_fails(task, author, private_media, monkeypatch):
    # The second file fails while being stored, after the first is on disk.
    calls = []
    real = EvidenceFile.save

    def failing_save(self, *args, **kwargs):
        calls.append(self)
        if len(calls) == 2:
            raise OSError("磁盘已满")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(EvidenceFile, "save", failing_save)
    with pytest.raises(OSError):
        final(task, author, files=[pdf_upload("一.pdf"), pdf_upload("二.pdf")])
    assert not ProgressReport.objects.exists()
    assert not any(private_media.rglob("*.pdf"))


def test_a_task_in_review_takes_no_report(task, author):
    final(task, author)
    with pytest.raises(ValidationError, match="等待区政务公开办的审核结果"):
        submit(task, author)


def test_approval_completes_the_task(task, author, reviewer):
    report = final(task, author)
    review = task_review(task=task, reviewer=reviewer, decision=TaskReview.Decision.APPROVED)
    task.refresh_from_db()
    assert (task.state, task.completed_on) == (Task.State.DONE, timezone.localdate())
    assert review.report == report
    with pytest.raises(ValidationError, match="已审核通过"):
        submit(task, author)


def test_return_needs_a_comment(task, author, reviewer):
    final(task, author)
    with pytest.raises(ValidationError) as caught:
        task_review(task=task, reviewer=reviewer, decision=TaskReview.Decision.RETURNED, comment=" ")
    assert "审核意见" in caught.value.message_dict["comment"][0]
    task.refresh_from_db()
    assert task.state == Task.State.IN_REVIEW and not TaskReview.objects.exists()


def test_only_a_task_in_review_can_be_reviewed(task, reviewer):
    with pytest.raises(ValidationError, match="只有待审核的任务"):
        task_review(task=task, reviewer=reviewer, decision=TaskReview.Decision.APPROVED)


def test_return_correct_approve_keeps_every_report_and_decision(task, author, reviewer):
    first = final(task, author)
    task_review(task=task, reviewer=reviewer, decision=TaskReview.Decision.RETURNED, comment="请补充链接。")
    task.refresh_from_db()
    assert task.state == Task.State.RETURNED
    second = final(task, author, public_summary="已补充。")
    task_review(task=task, reviewer=reviewer, decision=TaskReview.Decision.APPROVED)
    decisions = list(
        ProgressReport.objects.filter(task=task).order_by("created_at", "pk").values_list("pk", "review__decision")
    )
    assert decisions == [(first.pk, "returned"), (second.pk, "approved")]
    assert TaskReview.objects.get(report=first).comment == "请补充链接。"
