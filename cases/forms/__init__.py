"""Browser forms. Every choice a form offers comes from `visible_to(user)` (see base.py)."""
