"""The audit viewer reads back what pages showed: by person, by record, in the list and the download."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from audit.models import AccessLog, Action


def _officer_lists_referrals(world, client):
    """SJPD's officer opens the referral list (Dana's referral and its draft) and Dana's contact."""
    client.force_login(world.users.officer_sjpd)
    assert client.get(reverse("web:referral_list")).status_code == 200
    assert client.get(reverse("web:contact_detail", args=[world.records.victim_sjpd.pk])).status_code == 200
    client.logout()


def test_a_list_page_names_every_record_and_person_it_showed(world, client):
    _officer_lists_referrals(world, client)
    r = world.records
    row = AccessLog.objects.get(action=Action.RECORD_LIST, path=reverse("web:referral_list"))
    assert row.object_type == "cases.referral"
    assert row.records == {"cases.referral": sorted([r.referral_sjpd.pk, r.draft_sjpd.pk])}
    assert row.people == [r.victim_sjpd.person_id]


def test_the_auditor_finds_every_page_that_showed_a_person(world, client):
    _officer_lists_referrals(world, client)
    client.force_login(world.users.tf_auditor)
    dana = world.records.victim_sjpd.person_id
    page = client.get(reverse("audit:accesslog-list"), {"person": dana}).context["page"]
    assert {row.path for row in page} == {
        reverse("web:referral_list"),
        reverse("web:contact_detail", args=[world.records.victim_sjpd.pk]),
    }
    jordan = world.records.victim_kcpd.person_id
    assert not client.get(reverse("audit:accesslog-list"), {"person": jordan}).context["page"].object_list


def test_the_access_log_page_lists_the_records_readably(world, client):
    _officer_lists_referrals(world, client)
    client.force_login(world.users.tf_auditor)
    html = client.get(reverse("audit:accesslog-list"), {"action": Action.RECORD_LIST}).content.decode()
    referral = world.records.referral_sjpd
    assert "Referrals: " in html and "People: " in html
    assert reverse("audit:record-trail", args=["cases.referral", referral.pk]) in html
    assert reverse("audit:record-trail", args=["cases.person", referral.person_id]) in html


def test_a_records_trail_holds_the_lists_that_showed_it(world, client):
    _officer_lists_referrals(world, client)
    client.force_login(world.users.tf_auditor)
    r = world.records
    views = client.get(reverse("audit:record-trail", args=["cases.referral", r.referral_sjpd.pk])).context["views"]
    assert [row.path for row in views] == [reverse("web:referral_list")]
    views = client.get(reverse("audit:record-trail", args=["cases.contact", r.victim_sjpd.pk])).context["views"]
    assert [row.path for row in views] == [reverse("web:contact_detail", args=[r.victim_sjpd.pk])]
    # The person's trail: both pages showed Dana.
    views = client.get(reverse("audit:record-trail", args=["cases.person", r.victim_sjpd.person_id])).context["views"]
    assert len(views) == 2
    # Another contact of no one who was looked at has no views.
    views = client.get(reverse("audit:record-trail", args=["cases.contact", r.victim_kcpd.pk])).context["views"]
    assert list(views) == []


def test_the_download_carries_the_records_and_people(world, client):
    _officer_lists_referrals(world, client)
    client.force_login(world.users.tf_auditor)
    response = client.get(reverse("audit:accesslog-export"), {"action": Action.RECORD_LIST})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    r = world.records
    ids = ", ".join(str(pk) for pk in sorted([r.referral_sjpd.pk, r.draft_sjpd.pk]))
    assert rows[0]["records"] == f"people {r.victim_sjpd.person_id}; referrals {ids}"
    assert rows[0]["person_ids"] == str(r.victim_sjpd.person_id)
