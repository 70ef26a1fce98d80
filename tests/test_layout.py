"""The project's layout stays readable: one URL module per app area and one template folder per app.

- URL modules: the project's (taskforce/urls.py), and one per app area: the staff pages and reports
  (cases/urls.py), the API (cases/api/urls.py), the audit trail (audit/urls.py), the API tokens
  page (apitokens/urls.py), the downloads (exports/urls.py), the notifications
  (notifications/urls.py). A second URL module for an area that has one fails here: add the paths
  to the area's module instead.
- Templates: templates/<app label>/ holds one app's pages; the project's own folders (the base
  page, error pages, shared includes, Django's sign-in pages) are listed below. Admin overrides live
  in the app they override (cases/templates/admin/cases/, agencies/templates/admin/...).
"""

from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("taskforce", "agencies", "cases", "audit", "apitokens", "exports", "imports", "notifications")

URL_MODULES = {
    "taskforce/urls.py",
    "cases/urls.py",
    "cases/api/urls.py",
    "audit/urls.py",
    "apitokens/urls.py",
    "exports/urls.py",
    "imports/urls.py",
    "notifications/urls.py",
}

# Folders of templates/ that belong to the project rather than to one app.
PROJECT_TEMPLATE_FOLDERS = {"includes", "registration"}


def test_one_url_module_per_app_area():
    found = {
        str(path.relative_to(ROOT))
        for folder in SOURCE_DIRS
        for path in (ROOT / folder).rglob("*.py")
        if "urls" in path.stem and "migrations" not in path.parts
    }
    assert found == URL_MODULES, (
        f"URL modules not in the layout: {sorted(found - URL_MODULES)}; gone: {sorted(URL_MODULES - found)}"
    )


def test_one_template_folder_per_app():
    labels = {config.label for config in apps.get_app_configs() if config.path.startswith(str(ROOT))}
    folders = {path.name for path in (ROOT / "templates").iterdir() if path.is_dir()}
    strays = folders - labels - PROJECT_TEMPLATE_FOLDERS
    assert not strays, f"Template folders that are neither an app's label nor the project's own: {sorted(strays)}"


def test_app_template_folders_hold_only_admin_overrides():
    """An app's own templates/ folder holds admin overrides only; its pages live in templates/<label>/."""
    for folder in SOURCE_DIRS:
        inside = ROOT / folder / "templates"
        if inside.is_dir():
            assert {p.name for p in inside.iterdir()} <= {"admin"}, f"{inside}: pages belong in templates/{folder}/"
