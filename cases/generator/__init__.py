"""Generated, invented data at state scale for performance work (manage.py generate_data)."""

from .build import generate

__all__ = ["generate"]
