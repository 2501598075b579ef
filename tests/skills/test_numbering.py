"""Certificate numbers: 22 characters, unique and gap-free per (issuer, site, year, level)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection, connections, transaction

from tests.factories import make_person
from tests.skills import builders
from tongban.skills.models import Certificate, Route
from tongban.skills.models.occupation import level
from tongban.skills.numbering import next_number, prefix

DAY = datetime.date(2026, 11, 30)


@pytest.fixture
def evaluator(catalogue):
    return builders.social_evaluator(code="0042")


@pytest.mark.django_db
def test_number_has_the_22_character_layout(evaluator):
    cert = builders.give_certificate(make_person(), evaluator, "level4", DAY)
    assert len(cert.number) == 22
    assert cert.number == "S" + "0042" + "33" + "330502" + "26" + "4" + "000001"


@pytest.mark.django_db
def test_enterprise_certificates_start_with_y(catalogue):
    evaluator = builders.enterprise_evaluator(code="2001")
    assert prefix(evaluator, "330502", 2026, level("level3")).startswith("Y200133")


@pytest.mark.django_db
def test_serials_run_without_gaps_per_issuer_site_year_and_level(evaluator):
    people = [make_person(f"学员{i}") for i in range(4)]
    numbers = [builders.give_certificate(p, evaluator, "level4", DAY).number for p in people[:3]]
    assert [n[-6:] for n in numbers] == ["000001", "000002", "000003"]
    other_level = builders.give_certificate(people[3], evaluator, "level3", DAY).number
    assert other_level.endswith("3000001")
    next_year = builders.give_certificate(people[3], evaluator, "level4", datetime.date(2027, 1, 4))
    assert next_year.number[13:15] == "27" and next_year.number.endswith("000001")


@pytest.mark.django_db
def test_a_rolled_back_issue_leaves_no_gap(evaluator):
    try:
        with transaction.atomic():
            next_number(evaluator, "330502", DAY, level("level4"))
            raise RuntimeError("the issue failed")
    except RuntimeError:
        pass
    cert = builders.give_certificate(make_person(), evaluator, "level4", DAY)
    assert cert.number.endswith("000001")


@pytest.mark.django_db
def test_a_level_without_certificates_has_no_number(evaluator):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc, transaction.atomic():
        next_number(evaluator, "330502", DAY, level("special"))
    assert "level" in exc.value.message_dict


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_issuance_on_postgresql_gives_unique_gap_free_numbers(
    regions, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    builders.load_sample()
    evaluator = builders.social_evaluator(code="0077")
    people = [make_person(f"并发{i}") for i in range(12)]
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def issue(person):
        try:
            barrier.wait()
            from tongban.skills import services

            services.issue_certificate(
                person=person,
                occupation=builders.occupation(),
                level=level("level4"),
                evaluator=evaluator,
                site_code="330502",
                route=Route.SOCIAL_EVALUATION,
                issued_on=DAY,
            )
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    serials = sorted(int(n[-6:]) for n in Certificate.objects.values_list("number", flat=True))
    assert serials == list(range(1, len(people) + 1))
