"""Settings for the test suite: the normal settings in test mode."""

import os

os.environ["TASKFORCE_MODE"] = "test"

from .settings import *  # noqa: E402,F401,F403
