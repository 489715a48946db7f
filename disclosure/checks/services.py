"""Writes of the pre-publication checks: each run is recorded with what it found."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import CheckRun
from .rules import Finding, item_findings

Stage = CheckRun.Stage


class ChecksBlocked(ValidationError):
    """The checks found something the office set to block; the messages say what."""


def _outcome(findings: list[Finding]) -> str:
    if any(finding.blocks for finding in findings):
        return CheckRun.Outcome.BLOCKED
    return CheckRun.Outcome.WARNED if findings else CheckRun.Outcome.PASSED


@transaction.atomic
def item_check(*, actor, item, stage: str, secrecy_confirmed: bool = False) -> CheckRun:
    """Run every check on `item` and record the run (the log of findings). The caller
    decides what a blocking outcome means; `check_run_require_pass` raises for it."""
    findings = item_findings(item)
    return CheckRun.objects.create(
        item=item,
        stage=stage,
        outcome=_outcome(findings),
        findings=[finding.as_dict() for finding in findings],
        secrecy_confirmed=secrecy_confirmed,
        actor=actor,
    )


def check_run_require_pass(run: CheckRun) -> None:
    if run.outcome == CheckRun.Outcome.BLOCKED:
        messages = [finding["message"] for finding in run.findings if finding["severity"] == "block"]
        raise ChecksBlocked(["发布前检查未通过，请修改后再试："] + messages)


def warnings_of(run: CheckRun) -> list[str]:
    return [finding["message"] for finding in run.findings if finding["severity"] != "block"]
