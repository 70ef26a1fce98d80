"""One API worker process for the shared-throttle test (test_api_throttle.py).

Run as `python -m tests.api.throttle_worker <user id>` with the settings of the test
in the environment: it prints "ready", then answers each line on standard input with
the status of one API request made as that user, through DRF and the project's throttle
classes and cache settings. The request needs no database row for the user, so two such
processes share nothing but the cache.
"""

import os
import sys

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taskforce.test_settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from rest_framework.response import Response
    from rest_framework.test import APIRequestFactory, force_authenticate
    from rest_framework.views import APIView

    class Ping(APIView):
        # The API's default throttle classes apply, as on every endpoint of cases/api.
        def get(self, request):
            return Response({"ok": True})

    user_id = int(sys.argv[1])
    user = get_user_model()(pk=user_id, username=f"throttle-test-{user_id}")
    view, factory = Ping.as_view(), APIRequestFactory()
    print("ready", flush=True)
    for _ in sys.stdin:
        request = factory.get("/api/v1/ping/")
        force_authenticate(request, user=user)
        print(view(request).status_code, flush=True)


if __name__ == "__main__":
    main()
