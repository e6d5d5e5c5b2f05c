"""Moments when a person's password is in hand, for modules that key things to it (the WBS
handlers' key pairs). Accounts sends them and knows nobody who listens.

- password_known(user, password, request, response): at sign-in, after the password matched.
- password_set(user, password, request, response): a new password was set through the app (a
  reset or an invitation); whatever was sealed with the old one cannot be opened any more.
- signed_out(request, response): the person signed out.
"""

from __future__ import annotations

from django.dispatch import Signal

password_known = Signal()
password_set = Signal()
signed_out = Signal()
