import os

from django.core.wsgi import get_wsgi_application

os.umask(0o077)  # what the server writes (uploads, the SQLite database) is its own only
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from cegah.accounts.demo import refuse_demo_accounts_outside_demo  # noqa: E402
from cegah.core.warmup import warm_up  # noqa: E402 - needs the settings set up above

# A server that is not the demo does not start while an account with the published demo
# password can sign in (README, Production).
refuse_demo_accounts_outside_demo()
warm_up()
