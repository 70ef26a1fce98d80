"""A user's own API token: see whether one exists, create (or replace) it, revoke it.

Tokens are made from a signed-in session (or an existing token), never from a
password alone, so they inherit the sign-in's second factor. Admins revoke any
token in the Django admin (DRF's token admin).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from ..permissions import MemberAccess


class TokenStatusSerializer(serializers.Serializer):
    has_token = serializers.BooleanField()
    created = serializers.DateTimeField(allow_null=True)
    key_hint = serializers.CharField(allow_null=True, help_text="The first four characters, to tell tokens apart.")


class NewTokenSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="Shown once: send it as 'Authorization: Token <key>'.")
    created = serializers.DateTimeField()


class TokenView(APIView):
    permission_classes = [MemberAccess]

    @extend_schema(responses=TokenStatusSerializer, summary="Whether you have an API token")
    def get(self, request):
        token = Token.objects.filter(user=request.user).first()
        return Response({
            "has_token": token is not None,
            "created": token.created if token else None,
            "key_hint": token.key[:4] if token else None,
        })

    @extend_schema(request=None, responses={201: NewTokenSerializer}, summary="Create your API token, replacing any old one")
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        token = Token.objects.create(user=request.user)
        return Response({"key": token.key, "created": token.created}, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None}, summary="Revoke your API token")
    def delete(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
