"""Tamper-evident audit: every audit row is chained by hash; a direct edit breaks the chain."""

from __future__ import annotations

import threading

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection, connections

from tests.factories import WUXING, make_person, make_user
from tongban.core import audit_chain
from tongban.core.models import AuditLink, PersonalDataAccess, TransitionLog
from tongban.core.permissions import Role
from tongban.core.services import reveal_personal_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit_rows(regions):
    officer = make_user("hr_chain", Role.HR_OFFICER, region=WUXING)
    person = make_person("王五")
    reveal_personal_data(person, user=officer, channel="web", purpose="核对")
    reveal_personal_data(person, user=officer, channel="api", purpose="复核")
    kind = ContentType.objects.get_for_model(person)
    for target in ("b", "c"):
        TransitionLog.objects.create(
            content_type=kind, object_id=str(person.pk), name="t", source="a", target=target
        )
    return officer, person


def _sql(statement: str, model: type, params: list) -> None:
    """Run ``statement`` on ``model``'s table ({t}) directly, behind the application's back."""
    with connection.cursor() as cursor:
        cursor.execute(statement.format(t=connection.ops.quote_name(model._meta.db_table)), params)


def test_every_audit_row_gets_a_link_in_its_own_tables_chain(audit_rows):
    for model in (LogEntry, TransitionLog, PersonalDataAccess):
        table = model._meta.db_table
        links = list(AuditLink.objects.filter(table=table).order_by("seq"))
        assert len(links) == model.objects.count() > 0
        assert [link.seq for link in links] == list(range(1, len(links) + 1))
        assert links[0].prev_hash == audit_chain.GENESIS
        assert all(b.prev_hash == a.hash for a, b in zip(links, links[1:], strict=False))
    assert audit_chain.verify() == []
    call_command("audit", "verify")


def test_reporter_contact_reads_are_chained_too():
    from tongban.governance.models import ReporterContactAccess

    assert ReporterContactAccess._meta.db_table in audit_chain.chained_models()


def test_verify_names_table_row_and_column_of_a_row_altered_in_the_database(audit_rows):
    access = PersonalDataAccess.objects.order_by("pk").first()
    _sql(
        "UPDATE {t} SET purpose = %s WHERE id = %s",
        PersonalDataAccess,
        ["无", access.pk],
    )
    breaks = audit_chain.verify()
    assert len(breaks) == 1
    assert breaks[0].table == PersonalDataAccess._meta.db_table
    assert breaks[0].row_id == access.pk
    assert "purpose" in breaks[0].problem
    with pytest.raises(CommandError) as failed:
        call_command("audit", "verify")
    assert failed.value.returncode == 2
    assert f"id={access.pk}" in str(failed.value) and "purpose" in str(failed.value)


def test_verify_reports_the_first_break_of_each_table(audit_rows):
    first, second = TransitionLog.objects.order_by("pk")[:2]
    _sql("UPDATE {t} SET target = 'x' WHERE id = %s", TransitionLog, [second.pk])
    _sql("UPDATE {t} SET reason = 'x' WHERE id = %s", TransitionLog, [first.pk])
    entry = LogEntry.objects.order_by("pk").first()
    _sql("UPDATE {t} SET remote_addr = '10.0.0.9' WHERE id = %s", LogEntry, [entry.pk])
    found = {b.table: b for b in audit_chain.verify()}
    assert found[TransitionLog._meta.db_table].row_id == first.pk
    assert "reason" in found[TransitionLog._meta.db_table].problem
    assert found[LogEntry._meta.db_table].row_id == entry.pk


def test_a_deleted_audit_row_breaks_the_chain(audit_rows):
    row = TransitionLog.objects.order_by("pk").first()
    _sql("DELETE FROM {t} WHERE id = %s", TransitionLog, [row.pk])
    (broken,) = audit_chain.verify()
    assert broken.row_id == row.pk and "删除" in broken.problem


def test_a_row_inserted_behind_the_chains_back_is_reported(audit_rows):
    person = audit_rows[1]
    _sql(
        "INSERT INTO {t} "
        "(person_id, object_id, fields, purpose, channel, at) "
        "VALUES (%s, '', 'mobile', '', 'web', CURRENT_TIMESTAMP)",
        PersonalDataAccess,
        [person.pk],
    )
    (broken,) = audit_chain.verify()
    assert broken.table == PersonalDataAccess._meta.db_table
    assert "不在审计链中" in broken.problem


def test_an_altered_or_removed_link_breaks_the_chain(audit_rows):
    table = TransitionLog._meta.db_table
    AuditLink.objects.filter(table=table, seq=1).update(content_hash="0" * 64)
    (broken,) = audit_chain.verify()
    assert broken.seq == 1 and "链环被改动" in broken.problem
    AuditLink.objects.filter(table=table, seq=1).delete()
    (broken,) = audit_chain.verify()
    assert "缺少第1环" in broken.problem


def test_seal_links_rows_written_before_the_chain_existed(audit_rows):
    AuditLink.objects.all().delete()
    assert audit_chain.verify() != []
    call_command("audit", "seal")
    assert audit_chain.verify() == []
    assert AuditLink.objects.count() == sum(
        m.objects.count() for m in audit_chain.chained_models().values()
    )
    call_command("audit", "seal")  # nothing left to link: no second link per row
    assert audit_chain.verify() == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain(regions):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's in-memory test database serialises writers on one connection")
    person = make_person("赵六")
    kind = ContentType.objects.get_for_model(person)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(10):
                TransitionLog.objects.create(
                    content_type=kind,
                    object_id=str(person.pk),
                    name="t",
                    source=str(n),
                    target=str(i),
                )
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditLink.objects.filter(table=TransitionLog._meta.db_table).count() == 60
    assert audit_chain.verify() == []
