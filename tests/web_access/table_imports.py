"""Access table: contact imports (imports/). Who may record contacts uploads a sheet; an import is
seen by its uploader, a supervisor of its agency and the coordinator (others: 404), and only its
uploader answers its matches, confirms or cancels it (the others who see it: 403)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from .registry import UrlCase, expect, register

NO_PERSON_LEVEL = {"analyst": 403, "tf_auditor": 403, "sysadmin": 403}
WORKING = dict(
    coordinator=200,
    supervisor_sjpd=200,
    officer_sjpd=200,
    officer_kcpd=200,
    agent_fbi=200,
    advocate_harbor=200,
    advocate_northland=200,
    caseworker=200,
    prosecutor=200,
)
OFFICERS = dict(coordinator=200, supervisor_sjpd=200, officer_sjpd=200, officer_kcpd=200, agent_fbi=200, prosecutor=200)
IMPORTS = {
    "own": lambda w: {"pk": w.records.import_officer_sjpd.pk},
    "other": lambda w: {"pk": w.records.import_officer_kcpd.pk},
}
SHEET = "name,age,gender,occurred_at,role,services_offered\nCasey Invented,24,Female,{when},Potential victim,Food\n"


def _upload(w):
    from django.utils import timezone

    when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    sheet = SimpleUploadedFile("night-sheet.csv", SHEET.format(when=when).encode(), content_type="text/csv")
    return {"operation": w.records.op_sjpd.pk, "file": sheet}


register(
    UrlCase("imports:list", expect={"none": expect(403, **WORKING)}),
    UrlCase("imports:create", expect={"none": expect(403, **OFFICERS)}),
    # Officers outside the operation get the form again: the operation is not among their choices.
    UrlCase(
        "imports:create",
        label="upload",
        method="post",
        data=_upload,
        expect={
            "none": expect(
                403, **{**OFFICERS, **dict(coordinator=302, supervisor_sjpd=302, officer_sjpd=302, agent_fbi=302)}
            )
        },
    ),
    UrlCase(
        "imports:template",
        objects={"csv": lambda w: {"fmt": "csv"}, "xlsx": lambda w: {"fmt": "xlsx"}},
        expect={"csv": expect(403, **OFFICERS), "xlsx": expect(403, **OFFICERS)},
    ),
    UrlCase("imports:example", expect={"none": expect(403, **OFFICERS)}),
    UrlCase(
        "imports:detail",
        objects=IMPORTS,
        expect={
            "own": expect(404, coordinator=200, supervisor_sjpd=200, officer_sjpd=200, **NO_PERSON_LEVEL),
            "other": expect(404, coordinator=200, officer_kcpd=200, **NO_PERSON_LEVEL),
        },
    ),
    UrlCase(
        "imports:confirm",
        method="post",
        objects=IMPORTS,
        expect={
            "own": expect(404, coordinator=403, supervisor_sjpd=403, officer_sjpd=302, **NO_PERSON_LEVEL),
            "other": expect(404, coordinator=403, officer_kcpd=302, **NO_PERSON_LEVEL),
        },
    ),
    UrlCase(
        "imports:cancel",
        method="post",
        objects=IMPORTS,
        expect={
            "own": expect(404, coordinator=403, supervisor_sjpd=403, officer_sjpd=302, **NO_PERSON_LEVEL),
            "other": expect(404, coordinator=403, officer_kcpd=302, **NO_PERSON_LEVEL),
        },
    ),
)
