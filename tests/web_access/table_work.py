"""Access table: tasks and following (see registry.py).

Seen from the persona world (tests/personas.py, `_work`): task_sjpd_queue is in SJPD's queue
on its sting; task_officer_sjpd was given to the SJPD officer by the coordinator; task_tf_queue
is in the task force's queue on the Kansas City investigation. A task is seen by those who
hold it (assignee, the assigned agency, its maker; a supervisor its staff's) and may see its record.
"""

from .registry import UrlCase, register
from .table_workflows import seen

# Those who may see the St. Joseph sting, and may so add a task on it or follow it.
SEE_OP_SJPD = ("coordinator", "officer_sjpd", "supervisor_sjpd", "agent_fbi", "advocate_harbor")
SEE_HANDOFF_SJPD = ("coordinator", "officer_sjpd", "supervisor_sjpd", "agent_fbi", "caseworker")
SJPD_QUEUE = ("officer_sjpd", "supervisor_sjpd")


def _all(status, personas):
    return {p: status for p in personas}


def _task(name):
    return lambda w: {"pk": getattr(w.records, name).pk}


def _on(kind, name):
    return lambda w: {"target": kind, "pk": getattr(w.records, name).pk}


register(
    UrlCase("web:task_list", expect={"none": seen(200)}),
    UrlCase(
        "web:task_create",
        objects={
            "own": _on("operation", "op_sjpd"),
            "other": _on("operation", "op_kcpd"),
            "handoff": _on("handoff", "handoff_sjpd"),
            "not-a-kind": _on("detention", "detention_sjpd"),
        },
        expect={
            "own": seen(404, **_all(200, SEE_OP_SJPD)),
            "other": seen(404, coordinator=200, officer_kcpd=200, advocate_northland=200),
            "handoff": seen(404, **_all(200, SEE_HANDOFF_SJPD)),
            "not-a-kind": seen(404),
        },
    ),
    # Given to SJPD's queue: its own staff and the coordinator may; others see the form again
    # with "choose from the list" (200); nobody who cannot see the sting gets that far.
    UrlCase(
        "web:task_create",
        method="post",
        label="to-sjpd-queue",
        objects={"own": _on("operation", "op_sjpd")},
        data=lambda w: {"title": "Return the phones", "assignee": f"agency:{w.agencies.sjpd.pk}"},
        expect={
            "own": seen(404, coordinator=302, officer_sjpd=302, supervisor_sjpd=302, agent_fbi=200, advocate_harbor=200)
        },
    ),
    UrlCase(
        "web:task_edit",
        objects={"queue": _task("task_sjpd_queue"), "given": _task("task_officer_sjpd"), "tf": _task("task_tf_queue")},
        expect={
            "queue": seen(404, **_all(200, SJPD_QUEUE)),
            "given": seen(404, coordinator=200, **_all(200, SJPD_QUEUE)),
            "tf": seen(404, coordinator=200),
        },
    ),
    UrlCase(
        "web:task_cancel",
        objects={"queue": _task("task_sjpd_queue"), "tf": _task("task_tf_queue")},
        expect={"queue": seen(404, **_all(200, SJPD_QUEUE)), "tf": seen(404, coordinator=200)},
    ),
    UrlCase(
        "web:task_cancel",
        method="post",
        label="confirmed",
        objects={"queue": _task("task_sjpd_queue")},
        data=lambda w: {},
        expect={"queue": seen(404, **_all(302, SJPD_QUEUE))},
    ),
    UrlCase(
        "web:task_done",
        method="post",
        objects={"queue": _task("task_sjpd_queue"), "given": _task("task_officer_sjpd")},
        data=lambda w: {},
        expect={
            "queue": seen(404, **_all(302, SJPD_QUEUE)),
            "given": seen(404, coordinator=302, **_all(302, SJPD_QUEUE)),
        },
    ),
    # The done page is a button, not a page.
    UrlCase("web:task_done", objects={"queue": _task("task_sjpd_queue")}, expect={"queue": seen(405)}),
    UrlCase(
        "web:follow",
        method="post",
        objects={"own": _on("operation", "op_sjpd"), "other": _on("relief_request", "relief_kcpd")},
        data=lambda w: {},
        expect={
            "own": seen(404, **_all(302, SEE_OP_SJPD)),
            "other": seen(404, coordinator=302, officer_kcpd=302, advocate_northland=302),
        },
    ),
)
