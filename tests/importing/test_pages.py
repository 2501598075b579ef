"""The upload page starts a detached process; jobs and reports belong to their owner."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import WUXING, make_user
from tests.importing.conftest import PEOPLE_HEADER, person_row
from tongban.core.importing import jobs
from tongban.core.models import ImportJob


def csv_bytes(rows):
    lines = [",".join(PEOPLE_HEADER), *(",".join(r) for r in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_upload_starts_a_detached_process_and_redirects_to_the_job(client, hr_officer, monkeypatch):
    started = {}

    class FakePopen:
        def __init__(self, args, **kwargs):
            started["args"], started["kwargs"] = args, kwargs

    monkeypatch.setattr(jobs.subprocess, "Popen", FakePopen)
    client.force_login(hr_officer)
    upload = SimpleUploadedFile("people.csv", csv_bytes([person_row("甲")]))
    response = client.post("/imports/people/", {"file": upload, "mode": "partial"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/imports/jobs/{job.pk}/"
    assert started["args"][-2:] == ["run_import_job", str(job.pk)]
    assert started["kwargs"]["start_new_session"] is True
    assert (job.mode, job.status, job.filename) == ("partial", "queued", "people.csv")

    jobs.run_job_by_id(job.pk)  # what the detached process does
    page = client.get(f"/imports/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert 'data-status="done"' in page.content.decode()
    assert "hx-trigger" not in page.content.decode()  # finished: polling stops


def test_upload_refuses_other_file_types_with_a_chinese_message(client, hr_officer):
    client.force_login(hr_officer)
    upload = SimpleUploadedFile("people.xls", b"\xd0\xcf\x11\xe0")
    page = client.post("/imports/people/", {"file": upload, "mode": "strict"}).content.decode()
    assert "仅支持.xlsx和.csv文件" in page
    assert not ImportJob.objects.exists()


def test_jobs_and_reports_of_another_user_do_not_exist(client, hr_officer, db):
    job = ImportJob.objects.create(
        kind="people", user=hr_officer, source="/nonexistent", filename="p.csv",
        error_report="/nonexistent",
    )  # fmt: skip
    other = make_user("hr-other", "hr_officer", region=WUXING)
    client.force_login(other)
    assert client.get(f"/imports/jobs/{job.pk}/").status_code == 404
    assert client.get(f"/imports/jobs/{job.pk}/errors.csv").status_code == 404


def test_import_pages_need_the_right_to_add_or_change(client, db):
    grid = make_user("grid1", "grid_worker", region=WUXING)
    client.force_login(grid)
    assert client.get("/imports/").status_code == 404
    assert client.get("/imports/people/").status_code == 404
    assert client.get("/imports/people/template.xlsx").status_code == 404
    assert "批量导入" not in client.get("/people/").content.decode()


def test_training_and_results_upload_pages_offer_their_templates_to_who_may_import(client, db):
    from tests.skills import training_builders as tb

    teacher = tb.staff(tb.institution())
    client.force_login(teacher)
    page = client.get("/imports/training/").content.decode()
    assert "培训机构信用代码" in page and "template.xlsx" in page
    template = client.get("/imports/training/template.xlsx")
    assert template.status_code == 200 and b"".join(template.streaming_content)[:2] == b"PK"
    assert client.get("/imports/competition-results/").status_code == 404

    hr = make_user("hr-results", "hr_officer", region=WUXING)
    client.force_login(hr)
    assert "名次" in client.get("/imports/competition-results/").content.decode()
    assert client.get("/imports/competition-results/template.xlsx").status_code == 200
    assert client.get("/imports/training/").status_code == 404  # HR only views training
