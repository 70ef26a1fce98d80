"""Access table: the download pages (exports/). Every member asks for files of the lists its role
opens and sees only its own jobs: another user's job, its progress and its file are 404."""

from .registry import UrlCase, expect, register

# Roles with person-level lists; the analyst, the auditor and the system administrator have none
# (403 from the list's own permission, before any job is made).
LIST_READERS = expect(302, analyst=403, tf_auditor=403, sysadmin=403)


def _officers_job(w):
    return {"pk": w.records.export_officer_sjpd.pk}


register(
    UrlCase("exports:list", expect={"none": expect(200)}),
    UrlCase(
        "exports:create",
        method="post",
        data=lambda w: {"list": "person-list", "format": "csv"},
        expect={"none": LIST_READERS},
    ),
    UrlCase("exports:detail", objects={"officers": _officers_job}, expect={"officers": expect(404, officer_sjpd=200)}),
    # The job has not run: no file yet, for its owner too; anyone else's answer is the same 404.
    UrlCase("exports:file", objects={"officers": _officers_job}, expect={"officers": expect(404)}),
)
