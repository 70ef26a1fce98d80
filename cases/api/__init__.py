"""The REST API under /api/v1/: scoped resources, actions, exports and the OpenAPI contract.

Every view derives from `views.base.ScopedViewSet`, which narrows querysets to
`Model.objects.visible_to(user)` in one place; every primary key read from a request
goes through `fields.ScopedPrimaryKeyRelatedField`, scoped the same way.
"""
