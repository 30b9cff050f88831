import os

from django.core.wsgi import get_wsgi_application

from safepassage.ops.proxy import ClientAddressFromProxy, trusted_proxies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safepassage.settings")
# Behind the TLS proxy, the client's address for the login lockout (docs/deploy.md).
application = ClientAddressFromProxy(get_wsgi_application(), trusted_proxies())
