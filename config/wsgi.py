import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# The party-name matcher's tables take about a second to load, so django.setup leaves them to
# the first check (task workers and manage.py commands that never check a party skip them); a
# web process loads them as it starts, not on some user's first party check.
import trade.matching  # noqa: E402, F401
