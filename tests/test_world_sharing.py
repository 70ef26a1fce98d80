"""The persona world is built once for this module, and no test sees what another changed."""

import pytest

from cases import models as m


@pytest.mark.parametrize("turn", [1, 2])
def test_each_test_meets_the_world_as_built_whatever_the_one_before_changed(world, turn):
    operation = world.records.op_sjpd
    assert operation.name == "Operation Crossroads"
    assert m.Operation.objects.get(pk=operation.pk).name == "Operation Crossroads"
    assert not m.Operation.objects.filter(name__startswith="Renamed").exists()

    operation.name = f"Renamed {turn}"
    operation.save()
    world.users.officer_sjpd.first_name = "Changed"
    assert m.Operation.objects.get(pk=operation.pk).name == f"Renamed {turn}"


@pytest.mark.parametrize("turn", [1, 2])
def test_the_officer_is_as_built_in_memory(world, turn):
    assert world.users.officer_sjpd.first_name == "Officer"
    world.users.officer_sjpd.first_name = "Changed"


def test_the_module_shares_one_built_world_and_hands_out_copies(world, _module_world):
    assert _module_world is not None
    assert world is not _module_world
    assert world.records.op_sjpd is not _module_world.records.op_sjpd
    assert world.records.op_sjpd.pk == _module_world.records.op_sjpd.pk
    # Copies keep the links between records: the referral's contact is the world's contact.
    assert world.records.referral_sjpd.contact is world.records.victim_sjpd
