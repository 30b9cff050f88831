"""The register page tells the truth about what it needs: one name (a family or a given name);
the registry number is given by the registry, not typed."""

import re

from django.test import Client
from django.urls import reverse

from safepassage.registry.services import NAME_NEEDED
from tests.factories import force_login_fresh


def test_the_register_page_says_what_it_really_needs(people):
    client = Client()
    force_login_fresh(client, people.registrar)
    page = client.get(reverse("registry:person_new")).content.decode()
    assert "Only the registry number is certain" not in page
    assert 'name="registry_number"' not in page  # the page has no such field to be certain of
    assert "One name is needed: a family name or a given name" in page
    assert re.search(r"The registry number is given when you register", page)
    # The same rule the form enforces.
    assert "family name or a given name" in str(NAME_NEEDED)
