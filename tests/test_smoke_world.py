def test_world_builds(world):
    assert world.records.op_sjpd.code.startswith("OP-")
    assert world.records.op_sjpd.participations.count() == 4
