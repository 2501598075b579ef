"""Tamper-evident audit: every audit row is chained by hash; a direct edit breaks the chain."""

from __future__ import annotations

import fcntl
import io
import os
import threading

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

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
    # the test's transaction never commits: link as the commit would have
    audit_chain.seal_pending()
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
    # every writer sealed after its commit or left its row to the sealer holding the lock;
    # the last rows may wait for the next sealing
    audit_chain.seal_pending()
    assert AuditLink.objects.filter(table=TransitionLog._meta.db_table).count() == 60
    assert audit_chain.verify() == []


def _transition_row(person, target: str = "b") -> TransitionLog:
    kind = ContentType.objects.get_for_model(person)
    return TransitionLog.objects.create(
        content_type=kind, object_id=str(person.pk), name="t", source="a", target=target
    )


def test_a_row_is_linked_when_its_transaction_commits_not_before(
    regions, django_capture_on_commit_callbacks
):
    table = TransitionLog._meta.db_table
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        person = make_person("钱七")  # a change record
        row = _transition_row(person)
        _transition_row(person, "c")
        assert not AuditLink.objects.filter(table=table, row_id=row.pk).exists()
    # one sealing for the whole transaction, however many audit rows it wrote
    assert len(callbacks) == 1
    assert AuditLink.objects.filter(table=table).count() == 2
    assert AuditLink.objects.filter(table=LogEntry._meta.db_table).count() == (
        LogEntry.objects.count()
    )
    assert audit_chain.verify() == []


def test_a_rolled_back_row_is_never_linked(regions, django_capture_on_commit_callbacks):
    person = make_person("孙八")
    audit_chain.seal_pending()  # the person's change record
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                _transition_row(person)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == []
    assert audit_chain.seal_pending() == 0
    assert not AuditLink.objects.filter(table=TransitionLog._meta.db_table).exists()


@pytest.mark.django_db(transaction=True)
def test_a_sealer_that_finds_the_lock_taken_links_nothing_and_the_next_links_all(
    regions, tmp_path, monkeypatch
):
    # another process is sealing: it holds the lock while these rows commit
    if connection.vendor == "postgresql":
        other = connections.create_connection("default")
        other.set_autocommit(False)
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [audit_chain.AUDIT_LOCK_KEY])

        def release() -> None:
            other.rollback()
            other.close()
    else:
        lock_file = tmp_path / "db.audit-seal-lock"
        monkeypatch.setattr(audit_chain, "_seal_lock_path", lambda using: str(lock_file))
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT)
        fcntl.flock(fd, fcntl.LOCK_EX)

        def release() -> None:
            os.close(fd)

    table = TransitionLog._meta.db_table
    try:
        person = make_person("周九")
        rows = [_transition_row(person, t) for t in "bcd"]  # each commits, tries, goes on
        assert not AuditLink.objects.filter(table=table).exists()
        assert audit_chain.seal_pending() == 0
    finally:
        release()
    assert audit_chain.seal_pending() >= 3
    linked = list(AuditLink.objects.filter(table=table).order_by("seq"))
    assert [link.row_id for link in linked] == [r.pk for r in rows]
    assert audit_chain.verify() == []


def test_pending_rows_far_below_the_highest_linked_id_are_left_to_seal(regions, monkeypatch):
    person = make_person("吴十")
    audit_chain.seal_pending()  # the person's change record
    for target in "bcd":
        _transition_row(person, target)
    assert audit_chain.seal_pending() == 3
    monkeypatch.setattr(audit_chain, "LOOKBACK", 0)
    # a row that took a lower id than every linked row but committed after them
    kind = ContentType.objects.get_for_model(person)
    late = TransitionLog.objects.create(
        id=0, content_type=kind, object_id=str(person.pk), name="t", source="a", target="e"
    )
    table = TransitionLog._meta.db_table
    assert audit_chain.seal_pending() == 0
    (broken,) = audit_chain.verify()
    assert broken.table == table and broken.row_id == late.pk
    assert "不在审计链中" in broken.problem
    assert audit_chain.seal()[table] == 1
    assert audit_chain.verify() == []


def test_the_verify_command_links_recently_committed_rows_first(regions):
    person = make_person("郑一")
    audit_chain.seal_pending()  # the person's change record
    _transition_row(person)
    assert not AuditLink.objects.filter(table=TransitionLog._meta.db_table).exists()
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "先链入最近提交的" in out.getvalue()
    assert AuditLink.objects.filter(table=TransitionLog._meta.db_table).count() == 1
