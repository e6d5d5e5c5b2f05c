"""Password links: an invitation's lives three days (PASSWORD_RESET_TIMEOUT), a reset's an hour.

A reset link sits in a mailbox someone else may read later; an invitation must survive a
weekend. The two are made under different salts, so one cannot stand in for the other.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator


class ResetTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "cegah.accounts.tokens.ResetTokenGenerator"

    def check_token(self, user: Any, token: str | None) -> bool:
        if not super().check_token(user, token) or not token:
            return False
        timestamp = int(token.split("-")[0], 36)
        return self._num_seconds(self._now()) - timestamp <= settings.PASSWORD_RESET_LINK_SECONDS


class InvitationOrResetTokenGenerator(PasswordResetTokenGenerator):
    """The set-password page accepts either link, each within its own lifetime."""

    def check_token(self, user: Any, token: str | None) -> bool:
        return reset_tokens.check_token(user, token) or default_token_generator.check_token(
            user, token
        )


reset_tokens = ResetTokenGenerator()
invitation_or_reset_tokens = InvitationOrResetTokenGenerator()
