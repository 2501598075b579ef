"""Pages: intake forms with photo checks, queues sorted by deadline, detail, public status
page with its QR code, dashboard figures and export."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from tests.governance.conftest import fire, new_event, png_upload, to_state
from tongban.governance import services
from tongban.governance.dashboard import build
from tongban.governance.models import Event, EventPhoto

pytestmark = pytest.mark.django_db


def grid_form(world, **kw):
    data = {
        "category": world.fire_exit.pk,
        "urgency": "normal",
        "region": world.village.code,
        "address": "幸福小区3幢",
        "description": "消防通道堵塞",
    }
    data.update(kw)
    return data


def test_grid_worker_reports_with_a_photo(client, world):
    client.force_login(world.grid_worker)
    response = client.post("/events/report/", grid_form(world, photos=[png_upload()]))
    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/events/{event.pk}/"
    assert (event.channel, EventPhoto.objects.filter(event=event).count()) == ("grid", 1)


def test_a_photo_that_is_not_an_image_is_refused_and_nothing_saved(client, world):
    client.force_login(world.grid_worker)
    fake = SimpleUploadedFile("exit.jpg", b"not really a picture", content_type="image/jpeg")
    response = client.post("/events/report/", grid_form(world, photos=[fake]))
    assert response.status_code == 200
    assert "不是有效的图片" in response.content.decode()
    assert not Event.objects.exists() and not EventPhoto.objects.exists()


@override_settings(TONGBAN_PHOTO_MAX_BYTES=100)
def test_a_photo_too_large_is_refused_and_nothing_saved(client, world):
    client.force_login(world.grid_worker)
    response = client.post(
        "/events/report/", grid_form(world, photos=[png_upload(size=(200, 200))])
    )
    assert "请压缩后重新上传" in response.content.decode()
    assert not Event.objects.exists()


def test_hotline_form_needs_a_name_unless_anonymous(client, world):
    client.force_login(world.dispatcher)
    data = grid_form(world, channel="hotline")
    response = client.post("/events/hotline/", data)
    assert "须填写反映人姓名" in response.content.decode()
    response = client.post("/events/hotline/", {**data, "anonymous": "on"})
    assert response.status_code == 302
    assert Event.objects.get().anonymous is True


def test_unknown_category_on_the_form_is_refused(client, world):
    client.force_login(world.grid_worker)
    response = client.post("/events/report/", grid_form(world, category=999999))
    assert "未知的事件分类" in response.content.decode()
    assert not Event.objects.exists()


def test_queues_are_sorted_by_deadline(client, world):
    late = to_state(world, new_event(world), "dispatched")
    soon = to_state(world, new_event(world), "dispatched")
    Event.objects.filter(pk=late.pk).update(deadline=datetime.date(2026, 12, 10))
    Event.objects.filter(pk=soon.pk).update(deadline=datetime.date(2026, 12, 2))
    client.force_login(world.handler)
    page = client.get("/events/queue/").content.decode()
    assert page.index(soon.code) < page.index(late.code)


def test_overdue_events_are_marked_in_the_queue(client, world):
    event = to_state(world, new_event(world), "accepted")
    Event.objects.filter(pk=event.pk).update(deadline=datetime.date(2026, 11, 20))
    services.supervise(datetime.date(2026, 11, 30))
    client.force_login(world.handler)
    page = client.get("/events/queue/").content.decode()
    assert "已催办" in page and 'class="overdue"' in page


def test_detail_page_shows_the_timeline_buttons_and_masked_reporter(client, world):
    event = new_event(
        world, channel="hotline", reporter_name="王小明", reporter_phone="13812345678"
    )
    client.force_login(world.dispatcher)
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "核实属实" in page and "上报" in page
    assert "王**" in page and "138****5678" in page and "13812345678" not in page


def test_detail_button_fires_the_transition(client, world):
    event = new_event(world)
    client.force_login(world.dispatcher)
    client.post(f"/events/{event.pk}/transitions/verify/")
    assert Event.objects.get(pk=event.pk).status == "verified"


def test_public_status_page_shows_progress_and_a_qr_code(client, world):
    event = to_state(world, new_event(world), "dispatched")
    page = client.get(f"/e/{event.code}/").content.decode()
    assert "<svg" in page and "办理中" in page and "已派遣至处置单位" in page


def test_reporter_rates_on_the_public_page_with_the_token(client, world):
    event = to_state(world, new_event(world), "closed")
    assert "提交评价" not in client.get(f"/e/{event.code}/").content.decode()
    client.post(f"/e/{event.code}/", {"t": event.token, "satisfaction": "satisfied"})
    assert Event.objects.get(pk=event.pk).satisfaction == "satisfied"


def test_dashboard_counts_and_rates(world):
    done = to_state(world, new_event(world), "closed")
    fire(world, done, "rate_satisfied", "dispatcher")
    new_event(world, channel="hotline", reporter_name="李四")
    from django.utils import timezone

    today = timezone.localdate()
    board = build(Event.objects.all(), today.replace(month=1, day=1), today)
    assert board.total == 2
    assert dict(board.by_channel) == {"网格员巡查": 1, "12345热线": 1}
    assert (board.closed, board.on_time, board.on_time_rate) == (1, 1, 1.0)
    assert board.mean_days_to_close == 0.0
    assert dict(board.satisfaction)["满意"] == 1
    assert board.by_village == [(world.village.name, 2)]


def test_dashboard_page_and_csv_export(client, world):
    new_event(world)
    client.force_login(world.dispatcher)
    page = client.get("/governance/dashboard/").content.decode()
    assert 'id="village-chart"' in page and world.village.name in page
    export = client.get("/governance/dashboard/?_export=csv")
    text = b"".join(export.streaming_content if export.streaming else [export.content]).decode()
    assert "来源渠道,网格员巡查,1" in text


def test_event_list_filters_by_status_and_exports_csv(client, world):
    verified = fire(world, new_event(world), "verify", "dispatcher")
    other = new_event(world)
    client.force_login(world.dispatcher)
    page = client.get("/events/", {"status": "verified"}).content.decode()
    assert verified.code in page and other.code not in page
    export = client.get("/events/", {"_export": "csv"})
    text = b"".join(export.streaming_content).decode("utf-8")
    assert verified.code in text and other.code in text


def test_home_offers_reporting_to_grid_workers_and_hotline_intake_to_dispatchers(client, world):
    client.force_login(world.grid_worker)
    page = client.get("/").content.decode()
    assert "上报事件" in page and "热线受理" not in page
    client.force_login(world.dispatcher)
    assert "热线受理" in client.get("/").content.decode()


def test_handler_adds_result_photos_while_handling(client, world):
    event = to_state(world, new_event(world), "accepted")
    client.force_login(world.handler)
    client.post(f"/events/{event.pk}/photos/", {"photos": [png_upload("done.png")]})
    assert EventPhoto.objects.filter(event=event, stage="result").count() == 1


def test_result_photos_before_handling_are_refused(world):
    event = to_state(world, new_event(world), "dispatched")
    with pytest.raises(ValidationError, match="处置中"):
        services.add_photos(event, [png_upload()], user=world.dispatcher, stage="result")
    assert not EventPhoto.objects.filter(event=event).exists()
