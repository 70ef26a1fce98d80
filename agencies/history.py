"""Agencies, memberships and users keep a change history (see audit.history).

Password hashes and log-in times stay out of the user's history: the hash is a
secret and log-ins are already in the access log.
"""

from audit.history import track, track_all

from .models import Agency, Membership, User

track_all(Agency, Membership)
track(User, excluded_fields=["password", "last_login"])
