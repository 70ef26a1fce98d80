"""A user's own API tokens: list them, make one (the secret is shown once), revoke each.

The tokens themselves are django-rest-knox's (apitokens.models): hashed, expiring,
several per user. Making one needs a signed-in browser session that passed the second
factor (apitokens.service); a token cannot make another. Admins revoke any token in the
Django admin.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from apitokens import service
from apitokens.models import ApiToken

from ..permissions import MemberAccess


class ApiTokenSerializer(serializers.ModelSerializer):
    expires = serializers.DateTimeField(source="expiry", read_only=True, allow_null=True)
    key_hint = serializers.SerializerMethodField(help_text="The first eight characters, to tell tokens apart.")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "created", "expires", "last_used", "key_hint"]
        read_only_fields = ["id", "created", "expires", "last_used", "key_hint"]

    def get_key_hint(self, token) -> str:
        return token.token_key[:8]


class NewApiTokenSerializer(ApiTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown once: send it as 'Authorization: Token <key>'.")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "key"]


def _refusing(call):
    """The service's refusals as the API's 403."""
    try:
        return call()
    except PermissionDenied as refusal:
        raise exceptions.PermissionDenied(str(refusal)) from refusal


class ApiTokenListView(APIView):
    permission_classes = [MemberAccess]
    pagination_class = None

    @extend_schema(responses=ApiTokenSerializer(many=True), summary="Your API tokens that have not expired")
    def get(self, request):
        return Response(ApiTokenSerializer(service.tokens_of(request.user), many=True).data)

    @extend_schema(
        request=ApiTokenSerializer,
        responses={201: NewApiTokenSerializer},
        summary="Make an API token (from a verified browser session only)",
    )
    def post(self, request):
        incoming = ApiTokenSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        token, secret = _refusing(lambda: service.create_token(request, incoming.validated_data["name"]))
        token.key = secret
        return Response(NewApiTokenSerializer(token).data, status=status.HTTP_201_CREATED)


class ApiTokenDetailView(APIView):
    permission_classes = [MemberAccess]

    @extend_schema(request=None, responses={204: None}, summary="Revoke one of your API tokens")
    def delete(self, request, pk: int):
        # Another user's token is simply not found.
        token = get_object_or_404(service.tokens_of(request.user), pk=pk)
        _refusing(lambda: service.revoke_token(request, token))
        return Response(status=status.HTTP_204_NO_CONTENT)
