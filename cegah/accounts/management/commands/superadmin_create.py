from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cegah.accounts.services import superadmin_first_create
from cegah.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Creates the first Superadmin of a new installation and prints the one link where its "
        "owner sets a password (valid for PASSWORD_RESET_TIMEOUT). Later Superadmins are invited "
        "in the app."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", required=True, help="the person's full name")

    def handle(self, *args: Any, email: str, name: str, **options: Any) -> None:
        try:
            user, link = superadmin_first_create(email=email, full_name=name)
        except DomainError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Superadmin {user.email} created. Set the password (shown only now):")
        self.stdout.write(f"  {link}")
        self.stdout.write("Two-step sign-in is set up at the first sign-in.")
