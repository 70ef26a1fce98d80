"""State changes that are hard to undo ask first: starting, concluding, closing an operation;
acknowledging, accepting and starting service on a referral; acknowledging custody. One click
never makes them; the confirmed change is recorded in the record's history either way."""

from __future__ import annotations

import re

from django.urls import reverse

from cases import models as m


def _post_forms_to(page: str, url: str) -> list[str]:
    return re.findall(rf'<form[^>]*method="post"[^>]*action="{re.escape(url)}[^"]*"', page)


def _latest_history(obj):
    return obj.history.order_by("-history_date", "-history_id").first()


def test_starting_an_operation_asks_first_then_is_recorded(world, client):
    op = world.records.op_sjpd
    m.Operation.objects.filter(pk=op.pk).update(status=m.OperationStatus.PLANNED)
    client.force_login(world.users.officer_sjpd)
    move = reverse("web:operation_move", args=[op.pk])
    detail = client.get(reverse("web:operation_detail", args=[op.pk])).content.decode()
    # The page links to the question; no button on it moves the operation.
    assert f"{move}?status=active" in detail and not _post_forms_to(detail, move)
    question = client.get(move, {"status": "active"})
    page = question.content.decode()
    assert question.status_code == 200 and f"Start operation {op.code}?" in page
    assert "cannot go back to planned" in page and "Cancel" in page
    op.refresh_from_db()
    assert op.status == m.OperationStatus.PLANNED  # asking changed nothing
    done = client.post(move, {"status": "active"})
    assert done.status_code == 302
    op.refresh_from_db()
    assert op.status == m.OperationStatus.ACTIVE
    row = _latest_history(op)
    assert row.history_change_reason == "Status changed from planned to active"
    assert row.history_user == world.users.officer_sjpd


def test_concluding_an_operation_asks_first(world, client):
    op = world.records.op_sjpd  # active
    client.force_login(world.users.officer_sjpd)
    move = reverse("web:operation_move", args=[op.pk])
    page = client.get(move, {"status": "concluded"}).content.decode()
    assert f"Conclude operation {op.code}?" in page and "Yes, conclude the operation" in page
    client.post(move, {"status": "concluded"})
    op.refresh_from_db()
    assert op.status == m.OperationStatus.CONCLUDED
    assert _latest_history(op).history_change_reason == "Status changed from active to concluded"


def test_a_move_that_is_not_possible_is_not_asked(world, client):
    op = world.records.op_sjpd  # active: it cannot be planned again
    client.force_login(world.users.officer_sjpd)
    response = client.get(reverse("web:operation_move", args=[op.pk]), {"status": "planned"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:operation_detail", args=[op.pk])
    assert "cannot become planned" in response.content.decode()


def test_referral_steps_ask_first_from_the_detail_page_and_the_inbox(world, client):
    referral = world.records.referral_sjpd  # sent to Safe Harbor
    client.force_login(world.users.advocate_harbor)
    acknowledge = reverse("web:referral_step", args=[referral.pk, "acknowledge"])
    for page_url in (reverse("web:referral_detail", args=[referral.pk]), reverse("web:referral_inbox")):
        page = client.get(page_url).content.decode()
        assert acknowledge in page and not _post_forms_to(page, acknowledge), page_url
    question = client.get(acknowledge).content.decode()
    assert f"Acknowledge referral {referral.reference}?" in question and "cannot be taken back" in question
    referral.refresh_from_db()
    assert referral.status == m.ReferralStatus.SENT


def test_accept_and_start_service_ask_first_and_are_recorded_in_the_timeline(world, client):
    referral = world.records.referral_sjpd
    client.force_login(world.users.advocate_harbor)
    detail = reverse("web:referral_detail", args=[referral.pk])
    for step, status, question in (
        ("acknowledge", m.ReferralStatus.ACKNOWLEDGED, "Acknowledge referral"),
        ("accept", m.ReferralStatus.ACCEPTED, "Accept referral"),
        ("start_service", m.ReferralStatus.IN_SERVICE, "Start service for referral"),
    ):
        url = reverse("web:referral_step", args=[referral.pk, step])
        page = client.get(detail).content.decode()
        assert url in page and not _post_forms_to(page, url), step
        asked = client.get(url).content.decode()
        assert f"{question} {referral.reference}?" in asked and "usa-alert--warning" in asked
        assert client.post(url, {"note": ""}).status_code == 302
        referral.refresh_from_db()
        assert referral.status == status
    events = list(referral.events.order_by("pk").values_list("to_status", "user__username"))
    assert events[-3:] == [
        ("acknowledged", "advocate_hana"),
        ("accepted", "advocate_hana"),
        ("in_service", "advocate_hana"),
    ]


def test_acknowledging_custody_asks_first(world, client):
    handoff = world.records.handoff_sjpd
    client.force_login(world.users.caseworker)
    url = reverse("web:handoff_acknowledge", args=[handoff.pk])
    detail = client.get(reverse("web:handoff_detail", args=[handoff.pk])).content.decode()
    assert url in detail and not _post_forms_to(detail, url)
    asked = client.get(url).content.decode()
    assert f"Acknowledge receipt of {handoff.person.reference}?" in asked and "cannot be taken back" in asked
    handoff.refresh_from_db()
    assert handoff.acknowledged_at is None
    client.post(url, {"note": "Placed with a foster family."})
    handoff.refresh_from_db()
    assert handoff.acknowledged_by == world.users.caseworker
    assert handoff.events.filter(kind="acknowledged").count() == 1
    assert _latest_history(handoff).history_user == world.users.caseworker
