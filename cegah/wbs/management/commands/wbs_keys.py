from __future__ import annotations

import getpass
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cegah.accounts.models import User
from cegah.core.errors import DomainError
from cegah.wbs import crypto, services
from cegah.wbs.models import HandlerKey, Report


class Command(BaseCommand):
    help = (
        "WBS keys. init: create the key file (the receipt lookup salt). status: what is sealed "
        "to what. migrate: seal reports made before key pairs to their handlers' keys. "
        "escrow-keypair: print a new escrow key pair for the Koordinator to keep offline. "
        "escrow-grant --email: give a handler access with the escrow private key. rotate: "
        "re-encrypt every report under new keys with the escrow private key (handlers rotate "
        "their own reports from the WBS page)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "action",
            choices=["init", "status", "migrate", "escrow-keypair", "escrow-grant", "rotate"],
        )
        parser.add_argument("--email", default="", help="escrow-grant: the handler to grant to")
        parser.add_argument(
            "--escrow-key-file",
            default="",
            help="escrow-grant, rotate: a file holding the escrow private key (else it is asked)",
        )

    def handle(self, *args: Any, action: str, email: str, escrow_key_file: str, **_: Any) -> None:
        path = Path(settings.WBS_KEY_FILE)
        if action == "init":
            if path.exists():
                crypto.keyring()  # refuses a damaged file loudly
                self.stdout.write(f"{path} exists; nothing changed.")
                return
            crypto.write_keyring(crypto.new_ring())
            self.stdout.write(
                self.style.SUCCESS(f"Created {path}. Back it up apart from the data.")
            )
            return
        if action == "escrow-keypair":
            private_key = crypto.new_private_key()
            self.stdout.write(
                "Keep the private key offline (paper, a safe); it opens every report sealed to "
                "it. Put the public key in WBS_ESCROW_PUBLIC_KEY.\n"
                f"WBS_ESCROW_PUBLIC_KEY={crypto.encode_key(crypto.public_key_of(private_key))}\n"
                f"private key: {crypto.encode_key(private_key)}"
            )
            return
        if not path.exists():
            raise CommandError(f"{path} is missing; run `manage.py wbs_keys init` first.")
        if action == "migrate":
            self._migrate()
        elif action == "escrow-grant":
            grantee = User.objects.filter(email__iexact=email.strip()).first()
            if grantee is None:
                raise CommandError("--email: no such user")
            try:
                count = services.escrow_grant(
                    escrow_private_key=self._escrow_key(escrow_key_file), grantee=grantee
                )
            except (DomainError, crypto.CryptoError) as refused:
                raise CommandError(f"{grantee.email}: {refused}") from None
            self.stdout.write(self.style.SUCCESS(f"{count} reports granted to {grantee.email}."))
        elif action == "rotate":
            if crypto.escrow_public_key() is None:
                raise CommandError(
                    "No escrow key is configured, so the server cannot open reports: each handler "
                    "rotates the reports they handle from the WBS page (Ganti kunci laporan)."
                )
            try:
                count = services.reports_rekey_with_escrow(
                    escrow_private_key=self._escrow_key(escrow_key_file)
                )
            except crypto.CryptoError:
                raise CommandError("That is not the escrow private key.") from None
            self.stdout.write(self.style.SUCCESS(f"{count} reports re-encrypted under new keys."))
        else:
            self._status()

    def _escrow_key(self, key_file: str) -> bytes:
        text = (
            Path(key_file).read_text(encoding="utf-8")
            if key_file
            else getpass.getpass("Escrow private key (base64): ")
        )
        try:
            return crypto.decode_private_key(text.splitlines()[-1].split()[-1] if text else "")
        except ValueError:
            raise CommandError("That is not a base64 X25519 private key.") from None

    def _migrate(self) -> None:
        moved, waiting = services.reports_migrate_legacy()
        ring = crypto.keyring()
        if waiting == 0 and ring.keys:
            # Nothing needs the master keys any more: the key file keeps the receipt salt only.
            crypto.write_keyring(crypto.KeyRing(ring.receipt_salt, ()))
            self.stdout.write("The master keys are removed from the key file.")
        self.stdout.write(
            self.style.SUCCESS(
                f"{moved} reports sealed to their handlers' keys; {waiting} still need the key "
                "file until their reporter signs in with the receipt (run migrate again then)."
            )
        )
        without = (
            User.objects.filter(roles__role__in=["inspektorat", "koordinator"], is_active=True)
            .exclude(pk__in=HandlerKey.objects.values("user_id"))
            .distinct()
            .count()
        )
        if without:
            self.stdout.write(
                f"{without} handlers have no key pair yet: they get one at their next sign-in, "
                "then a colleague grants them access (or run migrate again)."
            )

    def _status(self) -> None:
        ring = crypto.keyring()
        self.stdout.write(f"receipt salt: present; master keys in the file: {len(ring.keys)}")
        self.stdout.write(f"handlers with a key pair: {HandlerKey.objects.count()}")
        self.stdout.write(
            f"reports: {Report.objects.count()}, "
            f"still sealed with a master key: {Report.objects.exclude(key_id='').count()}, "
            f"sealed to no handler: {Report.objects.filter(grants__isnull=True).count()}, "
            f"sealed to the escrow key: {Report.objects.filter(escrow_sealed_key__isnull=False).count()}"
        )
        self.stdout.write(
            "escrow: " + ("on" if crypto.escrow_public_key() is not None else "off (the default)")
        )
