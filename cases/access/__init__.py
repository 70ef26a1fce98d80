"""THE access policy: who may see which records and who may do what.

Every path into the data goes through here: `Model.objects.visible_to(user)` calls
`scope()`, and buttons, forms, the API and the admin call `can()`. The rules follow
the table in DESIGN.md:

coordinator  everything in the task force except victim-services private notes
supervisor   what the working staff of its agency see, and voids its agency's records
officer      operations its agency takes part in and everything recorded in them,
             plus what its own agency recorded elsewhere
advocate     referrals sent to its agency and the minimum about each referred person;
             the briefing of operations its agency takes part in; never detentions
caseworker   custody hand-offs to its agency and the children in them
analyst      aggregate reports only
auditor      the audit trail of its agency (the task force's auditor: all)

After the operation (the case lifecycle):

officer      investigations its agency leads, works on or (a prosecutor) was referred,
             and what is recorded in them: their people, arrests, prosecutions, counts,
             court dates and relief requests; the prosecutions its agency brings; the
             relief requests asked of its agency, and the people they concern
advocate     no investigation or prosecution; the court dates (date, kind, court only)
             of cases in which a client is a victim or witness; the relief requests its
             agency made or that concern its clients
caseworker   as for custody: the court dates and relief requests of the children it
             received

The system administrator (an active Django superuser) keeps user accounts, the agency
directory, memberships and the catalogues, and sees no case record, report or audit
row: least privilege, as CJIS asks. The superuser flag grants no case access at all;
a superuser who also held a membership would see only what that role sees.

Records outside a user's scope are simply absent, so views answer 404 for them.

The package, and nothing else, names roles (tests/test_policy_single.py):

viewer.py   the signed-in user as the policy sees them (role, the role's view, agency)
rules.py    which records of each model a viewer sees; the accounts offered in dropdowns;
            the audit trail's rule; a user's own rows (export jobs)
fields.py   what a viewer sees *of* a record: a person's fields, an operation's briefing,
            detentions, minors' names in downloads
actions.py  what each role may do, each action with its refusal message
screens.py  what the admin, the navigation, the home page and the reports show each viewer
"""

from .actions import ACTIONS, SYSADMIN_ACTIONS, Action, can, refusal, require
from .fields import (
    COURT_EVENT_NOTICE_FIELDS,
    MINOR_NAME_FIELDS,
    OPERATION_BRIEFING_FIELDS,
    PERSON_MINIMUM_FIELDS,
    court_event_fields,
    export_blanks_minor_names,
    operation_fields,
    person_disclosure,
    person_fields,
    sees_detentions,
    sees_investigations,
    visible_person_fields,
)
from .rules import (
    _CASE_RULES,
    _RULES,
    OPEN_MODELS,
    RULED_MODELS,
    SYSADMIN_MODELS,
    agency_staff,
    agency_supervisors,
    audit_trail_rule,
    choosable_users,
    court_date_notified,
    court_event_clients,
    ensure_visible,
    follow_rule,
    import_rule,
    is_visible,
    nobody_rule,
    own_rows_rule,
    prefetch_children,
    receiving_workers,
    register,
    scope,
    scope_on_record,
    sees_every_row,
    task_force_coordinators,
    task_queues,
    task_rule,
    visible_ids,
)
from .screens import (
    ReportParts,
    admin_may_add,
    admin_may_view,
    grantable_roles,
    home_shows_agency_work,
    may_manage_membership_role,
    may_void_any,
    navigation_shows,
    report_parts,
    report_scope_key,
    task_force_wide,
    workspace,
)
from .viewer import OutOfScope, Viewer, viewer_for

__all__ = [
    "ACTIONS",
    "COURT_EVENT_NOTICE_FIELDS",
    "MINOR_NAME_FIELDS",
    "OPEN_MODELS",
    "OPERATION_BRIEFING_FIELDS",
    "PERSON_MINIMUM_FIELDS",
    "RULED_MODELS",
    "SYSADMIN_ACTIONS",
    "SYSADMIN_MODELS",
    "_CASE_RULES",
    "_RULES",
    "Action",
    "OutOfScope",
    "ReportParts",
    "Viewer",
    "admin_may_add",
    "admin_may_view",
    "agency_staff",
    "agency_supervisors",
    "audit_trail_rule",
    "can",
    "choosable_users",
    "court_date_notified",
    "court_event_clients",
    "court_event_fields",
    "ensure_visible",
    "export_blanks_minor_names",
    "follow_rule",
    "grantable_roles",
    "home_shows_agency_work",
    "is_visible",
    "may_manage_membership_role",
    "may_void_any",
    "nobody_rule",
    "navigation_shows",
    "operation_fields",
    "import_rule",
    "own_rows_rule",
    "person_disclosure",
    "person_fields",
    "prefetch_children",
    "receiving_workers",
    "refusal",
    "register",
    "report_parts",
    "report_scope_key",
    "require",
    "scope",
    "scope_on_record",
    "sees_detentions",
    "sees_investigations",
    "sees_every_row",
    "task_force_coordinators",
    "task_force_wide",
    "task_queues",
    "task_rule",
    "visible_ids",
    "visible_person_fields",
    "viewer_for",
    "workspace",
]
