from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """People join an organisation by invitation, and organisations by the provider sign-up form,
    so allauth's own open sign-up stays closed everywhere."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False
