"""The audit log is tamper-evident (GB/T 22239-2019 8.1.4.3): an SM3 hash chain that
the `audit_verify` command checks, an append-only table on PostgreSQL, and retention."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from responsibility.audit import CHAIN_GENESIS, audit_chain_verify, audit_prune, audit_record, sm3_hex
from responsibility.models import AuditEvent

pytestmark = pytest.mark.django_db

Action = AuditEvent.Action


def record_events(count: int, **kwargs) -> list[AuditEvent]:
    return [audit_record(action=Action.LOGIN, username=f"user{n}", detail={"n": n}, **kwargs) for n in range(count)]


def tamper(sql: str, params: list) -> None:
    """What someone with direct database access could do: on PostgreSQL only a database
    superuser, who can switch triggers off for the session."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = DEFAULT")


def test_sm3_is_the_national_standard_hash():
    # GB/T 32905-2016, example 1.
    assert sm3_hex(b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


def test_each_record_is_chained_to_the_one_before():
    first, second = record_events(2)
    assert first.previous_hash == CHAIN_GENESIS
    assert second.previous_hash == first.record_hash and len(second.record_hash) == 64
    report = audit_chain_verify()
    assert (report.checked, report.broken, report.last_hash) == (2, None, second.record_hash)


def test_the_verify_command_reports_an_intact_chain():
    record_events(3)
    output = StringIO()
    call_command("audit_verify", stdout=output)
    assert "共 3 条记录" in output.getvalue()


def test_a_modified_record_breaks_the_chain_and_verify_names_it():
    events = record_events(5)
    tamper("UPDATE responsibility_auditevent SET username = %s WHERE id = %s", ["forged", events[2].pk])
    report = audit_chain_verify()
    assert report.broken.pk == events[2].pk and report.checked == 2
    with pytest.raises(CommandError, match=f"第 {events[2].pk} 号记录"):
        call_command("audit_verify")


def test_a_deleted_record_breaks_the_chain_at_the_next_one():
    events = record_events(5)
    tamper("DELETE FROM responsibility_auditevent WHERE id = %s", [events[1].pk])
    assert audit_chain_verify().broken.pk == events[2].pk


def test_a_recomputed_hash_still_breaks_the_link_to_the_next_record():
    events = record_events(3)
    tamper(
        "UPDATE responsibility_auditevent SET outcome = %s, record_hash = %s WHERE id = %s",
        ["failure", "f" * 64, events[1].pk],
    )
    assert audit_chain_verify().broken.pk == events[1].pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
@pytest.mark.parametrize(
    "sql", ["UPDATE responsibility_auditevent SET username = 'forged'", "DELETE FROM responsibility_auditevent"]
)
def test_postgresql_rejects_update_and_delete_of_audit_records(sql):
    record_events(2)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    assert audit_chain_verify().checked == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL")
def test_postgresql_rejects_deleting_a_young_record_even_when_marked_for_pruning():
    record_events(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL furong.audit_prune = 'on'")
        cursor.execute("DELETE FROM responsibility_auditevent")


def test_retention_removes_old_records_and_the_chain_still_verifies():
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(days=400)):
        old = record_events(3)
    young = record_events(2)
    assert audit_prune(older_than=timedelta(days=365)) == 3
    assert not AuditEvent.objects.filter(pk__in=[event.pk for event in old]).exists()
    anchor = AuditEvent.objects.get(action=Action.AUDIT_PRUNED)
    assert anchor.detail["anchor"] == old[-1].record_hash and anchor.detail["deleted"] == 3
    report = audit_chain_verify()
    assert report.broken is None and report.checked == len(young) + 1


def test_retention_keeps_at_least_180_days():
    with pytest.raises(ValidationError):
        audit_prune(older_than=timedelta(days=179))
    with pytest.raises(CommandError):
        call_command("audit_prune", "--days", "30")


def test_dropping_the_oldest_records_without_the_retention_job_is_detected():
    events = record_events(3)
    tamper("DELETE FROM responsibility_auditevent WHERE id = %s", [events[0].pk])
    assert audit_chain_verify().broken.pk == events[1].pk
