"""Building blocks for the tests of every app, imported as modules (not through conftest.py).

- ``factories``: factory_boy factories for the foundation models (users, roles, verifier
  assignments, OPD) and lookups of the reference Pemda and provinces by their code.
- ``totp``: the confirmed authenticator device every test user has.
- ``world``: the small, realistic world of 2 provinces, 5 Pemda and every role.
- ``clients``: test clients signed in with both factors done.

The pytest fixtures themselves (``world``, ``login``, ...) stay in the root conftest.py.
"""
