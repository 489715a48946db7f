"""The WSGI application gunicorn serves (`furong_portal.wsgi:application`)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "furong_portal.settings")

application = get_wsgi_application()

# Django, the apps and the URL and template caches built at start-up live as long as
# the process: frozen, the collector's full passes no longer walk them on every
# request that happens to trigger one (about 80 ms each, every few hundred pages).
gc.freeze()
