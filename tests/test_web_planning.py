"""Planning an operation: several agencies at once, the agencies of an earlier operation,
and the planner's agency as the default lead."""

from __future__ import annotations

from django.urls import reverse

from cases.models import Participation
from tests import factories as f


def _add_url(op):
    return reverse("web:operation_participant_add", args=[op.pk])


def test_several_agencies_are_added_at_once_each_with_its_role_and_staff(world, client):
    op, a = world.records.op_sjpd, world.agencies
    client.force_login(world.users.officer_sjpd)
    page = client.get(_add_url(op))
    rows = {row["agency"].pk: row for row in page.context["form"].rows()}
    # Agencies already taking part are not offered; each offered agency has its role by kind.
    assert a.fbi.pk not in rows and a.kcpd.pk in rows
    assert rows[a.northland.pk]["role"].initial == "victim_services"
    assert rows[a.kcpd.pk]["role"].initial == "support"
    response = client.post(
        _add_url(op),
        {
            "agencies": [a.kcpd.pk, a.northland.pk],
            f"role_{a.kcpd.pk}": "observer",
            f"staff_{a.kcpd.pk}": "4",
            f"role_{a.northland.pk}": "victim_services",
            f"staff_{a.northland.pk}": "",
            # An agency not ticked is not added, whatever its row says.
            f"role_{a.task_force.pk}": "support",
            f"staff_{a.task_force.pk}": "9",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0].endswith(reverse("web:operation_detail", args=[op.pk]) + "#participants")
    added = {p.agency_id: (p.role, p.staff_count) for p in Participation.objects.filter(operation=op)}
    assert added[a.kcpd.pk] == ("observer", 4) and added[a.northland.pk] == ("victim_services", None)
    assert a.task_force.pk not in added
    assert "2 agencies take part: KCPD, NORTHLAND." in response.content.decode()


def test_an_error_in_one_row_adds_none_and_keeps_every_row(world, client):
    op, a = world.records.op_sjpd, world.agencies
    client.force_login(world.users.officer_sjpd)
    before = op.participations.count()
    response = client.post(
        _add_url(op),
        {"agencies": [a.kcpd.pk, a.northland.pk], f"staff_{a.kcpd.pk}": "3", f"staff_{a.northland.pk}": "99999"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and op.participations.count() == before
    assert "Ensure this value is less than or equal to 5000." in page
    # What was ticked and typed is still there.
    assert f'value="{a.kcpd.pk}" id="agency-{a.kcpd.pk}" checked' in page
    assert 'value="3"' in page and 'value="99999"' in page


def test_nothing_ticked_is_a_plain_error(world, client):
    client.force_login(world.users.officer_sjpd)
    page = client.post(_add_url(world.records.op_sjpd), {}).content.decode()
    assert "Tick at least one agency to add." in page


def test_the_agencies_of_an_earlier_operation_are_copied_once(world, client):
    op, earlier, a = world.records.op_sjpd, world.records.op_kcpd, world.agencies
    Participation.objects.create(operation=earlier, agency=a.fbi, role="support", staff_count=7)
    client.force_login(world.users.coordinator)
    url = reverse("web:operation_participant_copy", args=[op.pk])
    response = client.post(url, {"source": earlier.pk}, follow=True)
    mine = {p.agency_id: (p.role, p.staff_count) for p in op.participations.all()}
    # KCPD led the earlier operation: it comes as support. FBI already took part: kept as it was.
    assert mine[a.kcpd.pk][0] == "support" and mine[a.northland.pk][0] == "victim_services"
    assert op.participations.filter(agency=a.fbi).count() == 1 and mine[a.fbi.pk] != ("support", 7)
    page = response.content.decode()
    assert f"Copied from {earlier.code}: 2 agencies take part" in page and "1 already took part." in page
    # Copying again adds nothing and says so.
    again = client.post(url, {"source": earlier.pk}, follow=True).content.decode()
    assert "already takes part; nothing was added" in again


def test_only_operations_the_planner_sees_can_be_copied(world, client):
    op, hidden = world.records.op_sjpd, world.records.op_kcpd
    client.force_login(world.users.officer_sjpd)
    choices = client.get(_add_url(op)).context["copy_form"].fields["source"].queryset
    assert hidden not in choices and op not in choices
    response = client.post(reverse("web:operation_participant_copy", args=[op.pk]), {"source": hidden.pk})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not op.participations.filter(agency=world.agencies.kcpd).exists()


def test_an_earlier_operation_of_the_agency_is_offered_for_copying(world, client):
    op = world.records.op_sjpd
    earlier = f.OperationFactory(name="Operation Old Road", lead_agency=world.agencies.sjpd)
    client.force_login(world.users.officer_sjpd)
    page = client.get(_add_url(op)).content.decode()
    assert f"{earlier.code} Operation Old Road" in page


def test_the_lead_agency_defaults_to_the_planners_agency(world, client):
    client.force_login(world.users.coordinator)
    form = client.get(reverse("web:operation_create")).context["form"]
    assert form.fields["lead_agency"].initial == world.agencies.task_force.pk
    # Editing keeps the operation's own lead.
    op = world.records.op_sjpd
    edit = client.get(reverse("web:operation_update", args=[op.pk])).context["form"]
    assert edit.initial["lead_agency"] == world.agencies.sjpd.pk


def test_an_officer_plans_with_their_own_agency_as_lead(world, client):
    """The officer is not asked: the lead is their agency (no field to get wrong)."""
    client.force_login(world.users.officer_kcpd)
    form = client.get(reverse("web:operation_create")).context["form"]
    assert "lead_agency" not in form.fields
