"""Chain the audit records that existed before the SM3 chain, then (PostgreSQL) make
the table append-only with a trigger: UPDATE is refused always, DELETE except for
rows older than 180 days inside a transaction that `audit_prune` marked."""

import json
from datetime import UTC

from cryptography.hazmat.primitives import hashes
from django.db import migrations

GENESIS = "0" * 64


def _digest(event, previous_hash):
    # Frozen copy of responsibility.audit.audit_record_digest as of this migration.
    fields = {
        "created_at": event.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "username": event.username,
        "action": event.action,
        "outcome": event.outcome,
        "target": event.target,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "ip_address": event.ip_address,
        "detail": event.detail,
    }
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    digest = hashes.Hash(hashes.SM3())
    digest.update(f"{previous_hash}|{payload}".encode())
    return digest.finalize().hex()


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("responsibility", "AuditEvent")
    previous = GENESIS
    for event in AuditEvent.objects.order_by("pk").iterator(chunk_size=2000):
        event.previous_hash = previous
        event.record_hash = previous = _digest(event, previous)
        event.save(update_fields=("previous_hash", "record_hash"))


TRIGGER_SQL = (
    """
CREATE OR REPLACE FUNCTION responsibility_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
       AND current_setting('furong.audit_prune', true) = 'on'
       AND OLD.created_at < now() - interval '180 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'responsibility_auditevent is append-only (GB/T 22239-2019 8.1.4.3): ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER responsibility_auditevent_append_only
    BEFORE UPDATE OR DELETE ON responsibility_auditevent
    FOR EACH ROW EXECUTE FUNCTION responsibility_auditevent_append_only()
""",
)

DROP_TRIGGER_SQL = (
    "DROP TRIGGER IF EXISTS responsibility_auditevent_append_only ON responsibility_auditevent",
    "DROP FUNCTION IF EXISTS responsibility_auditevent_append_only()",
)


def trigger_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in TRIGGER_SQL:
            schema_editor.execute(statement, params=None)


def trigger_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP_TRIGGER_SQL:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("responsibility", "0004_account_security_audit_chain")]

    operations = [
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(trigger_create, trigger_drop),
    ]
