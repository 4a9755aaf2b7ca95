from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.stages import EmailVerificationStage
from django.http import HttpRequest, HttpResponse


class AccountAdapter(DefaultAccountAdapter):
    """People join an organisation by invitation or join code, and organisations by the provider sign-up form,
    so allauth's own open sign-up stays closed everywhere."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def get_login_stages(self) -> list[str]:
        return [
            "people.adapters.VerifiedEmailIfAnyStage" if path == "allauth.account.stages.EmailVerificationStage"
            else path
            for path in super().get_login_stages()
        ]


class VerifiedEmailIfAnyStage(EmailVerificationStage):
    """Mandatory email verification, for people who have an email address. Someone added without one (who signs in
    with a username) has nothing to verify: allauth's own stage would send them to "check your inbox" forever."""

    def handle(self) -> tuple[HttpResponse | None, bool]:
        user = self.login.user
        if user is not None and not user.email:
            return None, True
        return super().handle()
