import pytest

from .personas import build_world


@pytest.fixture
def world(db):
    """The task force's agencies, one persona per role, and records in two operations."""
    return build_world()
