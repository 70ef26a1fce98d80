"""Browser views of the staff web application (URL namespace "web", see cases/urls.py)."""
