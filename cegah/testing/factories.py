# mypy: disallow-untyped-calls=False
# factory_boy's declarations (Sequence, LazyAttribute, SubFactory, ...) carry no annotations:
# calling them is what declaring a factory means.
"""factory_boy factories for the foundation models.

Provinces and Pemda are reference data (`load_regions`): they are looked up by their
Kemendagri code, never created.
"""

from __future__ import annotations

from typing import Any

from factory.declarations import LazyAttribute, PostGeneration, Sequence, SubFactory
from factory.django import DjangoModelFactory

from cegah.accounts.models import Role, RoleAssignment, User, VerifierAssignment
from cegah.regions.models import Opd, Pemda, Province
from cegah.testing.totp import add_confirmed_device

PASSWORD = "kata-sandi-uji-123"  # noqa: S105 - every test user's password
DEFAULT_PEMDA = "12.75"  # Kota Binjai


def pemda_by_code(code: str) -> Pemda:
    """A Pemda of the reference data, by its Kemendagri code ("12", "12.75", ...)."""
    return Pemda.objects.get(code=code)


def province_by_code(code: str) -> Province:
    """A province of the reference data, by its two-digit Kemendagri code."""
    return Province.objects.get(code=code)


def _pemda_of(params: Any) -> Pemda | None:
    # An OPD's Pemda, a Pemda given by code, or none (a national role).
    if params.opd is not None:
        opd: Opd = params.opd
        return opd.pemda
    return pemda_by_code(params.pemda_code) if params.pemda_code else None


def _totp_device(user: User, create: bool, extracted: Any, **kwargs: Any) -> None:
    # Every user has a confirmed authenticator unless created with totp=False.
    if create and extracted is not False:
        add_confirmed_device(user)


class UserFactory(DjangoModelFactory[User]):
    """A person with the test password and a confirmed TOTP device (``totp=False``: none)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = Sequence(lambda n: f"orang{n}@cegah.test")
    full_name = Sequence(lambda n: f"Orang Uji {n}")
    password: str | None = PASSWORD
    totp = PostGeneration(_totp_device)

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        # The manager lower-cases the email and hashes the password (None: unusable).
        return model_class.objects.create_user(*args, **kwargs)


class OpdFactory(DjangoModelFactory[Opd]):
    """An OPD of a reference Pemda, Kota Binjai unless ``pemda`` or ``pemda_code`` is given."""

    class Meta:
        model = Opd

    class Params:
        pemda_code = DEFAULT_PEMDA

    pemda = LazyAttribute(lambda o: pemda_by_code(o.pemda_code))
    name = Sequence(lambda n: f"Dinas Uji {n}")
    short_name = ""


class RoleAssignmentFactory(DjangoModelFactory[RoleAssignment]):
    """A role. Koordinator by default; an operator needs ``opd`` (its Pemda follows), a Pemda
    role ``pemda`` or ``pemda_code``."""

    class Meta:
        model = RoleAssignment

    class Params:
        pemda_code: str | None = None

    user = SubFactory(UserFactory)
    role = Role.KOORDINATOR
    opd: Opd | None = None
    pemda = LazyAttribute(_pemda_of)


class VerifierAssignmentFactory(DjangoModelFactory[VerifierAssignment]):
    """A Pemda a verifier reviews, Kota Binjai unless ``pemda`` or ``pemda_code`` is given."""

    class Meta:
        model = VerifierAssignment

    class Params:
        pemda_code = DEFAULT_PEMDA

    verifier = SubFactory(UserFactory)
    pemda = LazyAttribute(lambda o: pemda_by_code(o.pemda_code))


def make_user(email: str, name: str, *, password: str | None = PASSWORD, **extra: object) -> User:
    """A person without any role (add one with RoleAssignmentFactory)."""
    return UserFactory.create(email=email, full_name=name, password=password, **extra)
