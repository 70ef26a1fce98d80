"""After the operation, the records point at each other: an investigation at its relief requests,
a court date at its prosecution, an operation's report at its investigations, a person at their
investigations and prosecutions, a relief request at its investigation. Each link, and the
reference or name it carries, is printed only to whoever may see the record it points at.
Operations and arrests are unlinked from an investigation (page, API, admin) with a line in
its history."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import investigation_actions as steps
from cases import models as m

from .api.conftest import api, if_match  # noqa: F401 (the api fixture)
from .test_admin_actions import _change_form_data, staff  # noqa: F401 (the staff fixture)
from .test_admin_actions import _url as _admin_url

pytestmark = pytest.mark.django_db


def _url(name, *args, query=""):
    url = reverse(f"web:{name}", args=args)
    return f"{url}?{query}" if query else url


def _page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _link(name, *args) -> str:
    return f'href="{_url(name, *args)}"'


# --- the investigation page → its relief requests -----------------------------------


def test_the_investigation_page_links_its_relief_requests(world, client):
    relief, inv = world.records.relief_sjpd, world.records.investigation_sjpd
    for persona in ("officer_sjpd", "agent_fbi", "prosecutor", "coordinator"):
        page = _page(client, getattr(world.users, persona), _url("investigation_detail", inv.pk))
        assert _link("relief_detail", relief.pk) in page and relief.reference in page, persona


def test_a_relief_request_is_named_on_the_investigation_page_only_through_the_policy(world, client):
    """The asking advocate sees the request, never the investigation page; the Kansas City
    officer sees neither the St. Joseph request nor its investigation."""
    relief, inv = world.records.relief_sjpd, world.records.investigation_sjpd
    client.force_login(world.users.advocate_harbor)
    assert client.get(_url("relief_detail", relief.pk)).status_code == 200
    assert client.get(_url("investigation_detail", inv.pk)).status_code == 404
    page = _page(client, world.users.officer_kcpd, _url("investigation_detail", world.records.investigation_kcpd.pk))
    assert relief.reference not in page and _link("relief_detail", relief.pk) not in page
    assert _link("relief_detail", world.records.relief_kcpd.pk) in page


def test_the_relief_page_links_its_investigation_only_for_who_sees_it(world, client):
    relief, inv = world.records.relief_sjpd, world.records.investigation_sjpd
    page = _page(client, world.users.officer_sjpd, _url("relief_detail", relief.pk))
    assert _link("investigation_detail", inv.pk) in page and inv.reference in page
    page = _page(client, world.users.advocate_harbor, _url("relief_detail", relief.pk))
    assert _link("investigation_detail", inv.pk) not in page and inv.reference not in page and inv.title not in page


# --- court dates → the prosecution ----------------------------------------------------


def test_the_court_dates_page_links_the_prosecution_for_the_prosecution_team(world, client):
    prosecution = world.records.prosecution_sjpd
    for persona in ("prosecutor", "officer_sjpd", "agent_fbi", "coordinator"):
        page = _page(client, getattr(world.users, persona), _url("court_event_list"))
        assert _link("prosecution_detail", prosecution.pk) in page and prosecution.reference in page, persona


def test_an_advocate_reads_the_date_kind_and_court_and_no_link(world, client):
    event, prosecution = world.records.court_event_sjpd, world.records.prosecution_sjpd
    page = _page(client, world.users.advocate_harbor, _url("court_event_list"))
    assert event.court in page and event.get_kind_display() in page  # the notice itself
    assert _link("prosecution_detail", prosecution.pk) not in page and prosecution.reference not in page
    assert "prosecutions/" not in page and prosecution.defendant.reference not in page
    assert world.records.investigation_sjpd.reference not in page


def test_the_kansas_city_officer_is_given_only_its_own_prosecution(world, client):
    page = _page(client, world.users.officer_kcpd, _url("court_event_list"))
    assert _link("prosecution_detail", world.records.prosecution_kcpd.pk) in page
    sjpd = world.records.prosecution_sjpd
    assert _link("prosecution_detail", sjpd.pk) not in page and sjpd.reference not in page


# --- the operation outcome report → its investigations -----------------------------


@pytest.mark.parametrize(
    "persona, shown",
    [
        ("officer_sjpd", True),
        ("agent_fbi", True),
        ("coordinator", True),
        ("advocate_harbor", False),
        ("analyst", False),
    ],
)
def test_the_operation_report_links_its_investigations_where_allowed(world, client, pdf_as_html, persona, shown):
    op, inv = world.records.op_sjpd, world.records.investigation_sjpd
    url = reverse("reports:operation", args=[op.pk])
    for answer in (_page(client, getattr(world.users, persona), url), client.get(url + "?format=pdf").content.decode()):
        assert (_link("investigation_detail", inv.pk) in answer) is shown
        assert (inv.reference in answer) is shown and (inv.title in answer) is shown


def test_the_prosecutor_is_not_given_the_operation_report(world, client):
    """The prosecutor sees the investigation but not the operation: no report, so no link either."""
    client.force_login(world.users.prosecutor)
    assert client.get(reverse("reports:operation", args=[world.records.op_sjpd.pk])).status_code == 404


# --- the relief form's investigation ---------------------------------------------------


def _relief_data(w, **extra) -> dict:
    today = timezone.localdate().isoformat()
    return {
        "requested_by_agency": w.agencies.harbor.pk,
        "kind": m.ReliefKind.T_VISA,
        "requested_of_agency": w.agencies.sjpd.pk,
        "consent": "written",
        "consent_date": today,
        "requested_on": today,
        **extra,
    }


def test_the_relief_form_offers_only_the_persons_investigations(world, client):
    person = world.records.victim_sjpd.person
    client.force_login(world.users.coordinator)
    form = client.get(_url("relief_create", query=f"person={person.pk}")).context["form"]
    assert list(form.fields["investigation"].queryset) == [world.records.investigation_sjpd]


def test_a_forged_investigation_is_refused_with_a_clear_error_and_nothing_lost(world, client):
    person, other = world.records.victim_sjpd.person, world.records.investigation_kcpd
    client.force_login(world.users.coordinator)
    before = m.ReliefRequest.objects.count()
    response = client.post(
        _url("relief_create", query=f"person={person.pk}"),
        _relief_data(world, investigation=other.pk, notes="Interpreter needed"),
    )
    assert response.status_code == 200 and m.ReliefRequest.objects.count() == before
    errors = response.context["form"].errors["investigation"]
    assert errors == ["Choose an investigation the person is in, among those you can see, or leave it empty."]
    assert "Interpreter needed" in response.content.decode()


def test_from_the_list_the_investigation_is_checked_against_the_person_named(world, client):
    person, other = world.records.victim_sjpd.person, world.records.investigation_kcpd
    client.force_login(world.users.coordinator)
    response = client.post(
        _url("relief_create"), _relief_data(world, person_reference=person.reference, investigation=other.pk)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["investigation"] == [
        f"{person.reference} is not in {other.reference}. Choose an investigation the person is in, or leave it empty."
    ]
    ok = client.post(
        _url("relief_create"),
        _relief_data(world, person_reference=person.reference, investigation=world.records.investigation_sjpd.pk),
    )
    assert ok.status_code == 302
    assert m.ReliefRequest.objects.filter(person=person, investigation=world.records.investigation_sjpd).count() == 2


def test_the_api_refuses_an_investigation_the_person_is_not_in(world, api):  # noqa: F811
    body = {
        "person": world.records.victim_sjpd.person.pk,
        "kind": "u_visa",
        "requested_by_agency": world.agencies.harbor.pk,
        "requested_of_agency": world.agencies.sjpd.pk,
        "consent": "written",
        "consent_date": timezone.localdate().isoformat(),
    }
    coordinator = api(world.users.coordinator)
    before = m.ReliefRequest.objects.count()
    refused = coordinator.post(
        "/api/v1/relief-requests/", {**body, "investigation": world.records.investigation_kcpd.pk}, format="json"
    )
    assert refused.status_code == 400, refused.content
    person, other = world.records.victim_sjpd.person, world.records.investigation_kcpd
    assert refused.json()["investigation"] == [f"{person.reference} is not in {other.reference}."]
    assert m.ReliefRequest.objects.count() == before
    ok = coordinator.post(
        "/api/v1/relief-requests/", {**body, "investigation": world.records.investigation_sjpd.pk}, format="json"
    )
    assert ok.status_code == 201, ok.content


# --- the person page: investigations and prosecutions -------------------------------


def _section(client, user, person) -> str:
    return _page(client, user, _url("person_detail", person.pk, query="section=investigations&preview=1"))


def test_the_person_page_lists_and_links_their_investigations(world, client):
    victim, inv = world.records.victim_sjpd.person, world.records.investigation_sjpd
    for persona in ("officer_sjpd", "agent_fbi", "prosecutor", "coordinator"):
        page = _section(client, getattr(world.users, persona), victim)
        assert _link("investigation_detail", inv.pk) in page and "victim" in page, persona
    main = _page(client, world.users.officer_sjpd, _url("person_detail", victim.pk))
    assert "section=investigations" in main


def test_the_person_page_lists_and_links_the_prosecutions_of_a_defendant(world, client):
    prosecution = world.records.prosecution_sjpd
    page = _section(client, world.users.prosecutor, prosecution.defendant)
    assert _link("prosecution_detail", prosecution.pk) in page and prosecution.reference in page
    assert _link("investigation_detail", world.records.investigation_sjpd.pk) in page


def test_the_person_page_names_no_investigation_the_viewer_may_not_see(world, client):
    """Jordan (Kansas City) is also a witness in St. Joseph's investigation: the Kansas City
    officer sees Jordan and KCPD's investigation, not St. Joseph's."""
    jordan, sjpd = world.records.victim_kcpd.person, world.records.investigation_sjpd
    m.InvestigationPerson.objects.create(investigation=sjpd, person=jordan, role="witness")
    page = _section(client, world.users.officer_kcpd, jordan)
    assert _link("investigation_detail", world.records.investigation_kcpd.pk) in page
    assert _link("investigation_detail", sjpd.pk) not in page and sjpd.reference not in page
    assert sjpd.title not in page
    # The advocate has no such section (and is not offered it).
    client.force_login(world.users.advocate_harbor)
    victim = world.records.victim_sjpd.person
    assert client.get(_url("person_detail", victim.pk, query="section=investigations")).status_code == 404
    assert "section=investigations" not in client.get(_url("person_detail", victim.pk)).content.decode()


def test_the_person_section_costs_the_same_whatever_the_history(world, client, django_assert_max_num_queries):
    victim = world.records.victim_sjpd.person
    client.force_login(world.users.officer_sjpd)
    url = _url("person_detail", victim.pk, query="section=investigations&preview=1")
    client.get(url)
    with django_assert_max_num_queries(22):
        assert client.get(url).status_code == 200


# --- unlinking operations and arrests -------------------------------------------------


def _history_reasons(record) -> list[str]:
    return list(record.history.order_by("-history_id").values_list("history_change_reason", flat=True))


def test_the_officer_unlinks_an_operation_after_confirming(world, client):
    inv, op = world.records.investigation_sjpd, world.records.op_sjpd
    url = _url("investigation_operation_unlink", inv.pk, op.pk)
    page = _page(client, world.users.officer_sjpd, _url("investigation_detail", inv.pk))
    assert f'href="{url}"' in page
    confirm = _page(client, world.users.officer_sjpd, url)
    assert f"Unlink {op.code} from {inv.reference}?" in confirm and "Unlink the operation" in confirm
    assert inv.operations.filter(pk=op.pk).exists()  # asking changes nothing
    response = client.post(url)
    assert response.status_code == 302 and response["Location"].endswith("#operations")
    assert not inv.operations.filter(pk=op.pk).exists()
    assert _history_reasons(inv)[0] == "An operation was unlinked"
    assert m.Operation.objects.filter(pk=op.pk).exists()


def test_the_officer_unlinks_an_arrest_after_confirming(world, client):
    inv, detention = world.records.investigation_sjpd, world.records.detention_sjpd
    url = _url("investigation_detention_unlink", inv.pk, detention.pk)
    page = _page(client, world.users.officer_sjpd, _url("investigation_detail", inv.pk))
    assert f'href="{url}"' in page
    confirm = _page(client, world.users.officer_sjpd, url)
    assert f"Unlink the arrest of {detention.person.reference}" in confirm
    response = client.post(url)
    assert response.status_code == 302
    detention.refresh_from_db()
    assert detention.investigation is None
    assert _history_reasons(detention)[0] == "Unlinked from its investigation"
    assert _history_reasons(inv)[0] == "An arrest was unlinked"


def test_readers_of_the_investigation_are_not_offered_unlinking(world, client):
    inv = world.records.investigation_sjpd
    page = _page(client, world.users.agent_fbi, _url("investigation_detail", inv.pk))
    assert "/unlink/" not in page


def test_a_closed_investigation_keeps_its_links(world):
    inv = world.records.investigation_sjpd
    steps.close_investigation(world.users.officer_sjpd, inv, "cleared_by_arrest")
    with pytest.raises(Exception) as refused:
        steps.unlink_detention(world.users.officer_sjpd, world.records.detention_sjpd)
    assert "closed" in str(refused.value)
    world.records.detention_sjpd.refresh_from_db()
    assert world.records.detention_sjpd.investigation_id == inv.pk


def test_an_operation_not_linked_cannot_be_unlinked(world):
    with pytest.raises(Exception) as refused:
        steps.unlink_operation(world.users.coordinator, world.records.investigation_sjpd, world.records.op_kcpd)
    assert "not linked" in str(refused.value)


def test_the_api_unlinks_with_if_match(world, api):  # noqa: F811
    inv = world.records.investigation_sjpd
    client = api(world.users.officer_sjpd)
    url = f"/api/v1/investigations/{inv.pk}/"
    assert client.post(url + f"operations/{world.records.op_sjpd.pk}/unlink/").status_code == 428
    answer = client.post(url + f"operations/{world.records.op_sjpd.pk}/unlink/", **if_match(client, url))
    assert answer.status_code == 200 and answer.json()["operations"] == []
    detention = world.records.detention_sjpd
    answer = client.post(url + f"detentions/{detention.pk}/unlink/", **if_match(client, url))
    assert answer.status_code == 200 and detention.pk not in answer.json()["detentions"]
    assert _history_reasons(inv)[:2] == ["An arrest was unlinked", "An operation was unlinked"]


def test_the_admin_unlinks_through_the_domain_action(client, staff):  # noqa: F811
    inv, op = staff.records.investigation_sjpd, staff.records.op_sjpd
    client.force_login(staff.users.officer_sjpd)
    page = client.get(_admin_url(m.Investigation, "change", inv.pk))
    data = _change_form_data(page)
    data["operations"] = []
    response = client.post(_admin_url(m.Investigation, "change", inv.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert not inv.operations.filter(pk=op.pk).exists()
    assert "An operation was unlinked" in _history_reasons(inv)


def test_the_admin_unlinks_an_arrest_through_the_domain_action(client, staff):  # noqa: F811
    detention, inv = staff.records.detention_sjpd, staff.records.investigation_sjpd
    # The FBI made the arrest (it may change the detention), SJPD leads the investigation.
    client.force_login(staff.users.agent_fbi)
    page = client.get(_admin_url(m.Detention, "change", detention.pk))
    data = _change_form_data(page)
    data.pop("investigation", None)
    refused = client.post(_admin_url(m.Detention, "change", detention.pk), data)
    assert refused.status_code == 200
    assert refused.context["adminform"].form.non_field_errors() == [
        "Only the investigation's lead agency (and the coordinator) links or unlinks its arrests."
    ]
    client.force_login(staff.users.coordinator)
    response = client.post(_admin_url(m.Detention, "change", detention.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    detention.refresh_from_db()
    assert detention.investigation is None
    assert _history_reasons(detention)[0] == "Unlinked from its investigation"
    assert _history_reasons(inv)[0] == "An arrest was unlinked"
