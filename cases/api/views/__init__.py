"""API views, one module per topic, all built on views.base.ScopedViewSet."""
