"""The site menu: each user sees exactly the entries the access policy lets him open, checked
once per request, and a change of his roles shows on his next page."""

import re

from django.test import RequestFactory
from django.urls import reverse

from safepassage.access.policy import can, has_any_role_for
from safepassage.accounts.models import Role
from safepassage.web.menu import ENTRIES, site_menu

NAV = re.compile(r'<nav class="site-nav"[^>]*>(.*?)</nav>', re.S)
# The entries outside the menu's list of links: the brand and the log-out form.
OUTSIDE_THE_NAV = {"home", "logout"}


def _nav_links(client) -> list[str]:
    html = client.get(reverse("work:home")).content.decode()
    return re.findall(r'href="([^"]+)"', NAV.search(html).group(1))


def _allowed(user) -> list[str]:
    return [
        reverse(name)
        for key, name, action, by_role in ENTRIES
        if key not in OUTSIDE_THE_NAV
        and (action is None or (has_any_role_for if by_role else can)(user, action))
    ]


def test_each_user_sees_the_entries_the_policy_lets_him_open(people, medics, login):
    for user in [*vars(people).values(), *vars(medics).values()]:
        assert _nav_links(login(user)) == _allowed(user), user.username


def test_the_outsider_with_every_role_sees_every_entry_of_his_organisation(people, login):
    links = _nav_links(login(people.outsider))
    assert reverse("audit:audit_list") in links and reverse("registry:person_new") in links


def test_the_menu_is_computed_once_per_request(people, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = people.registrar
    first = site_menu(request)
    with django_assert_num_queries(0):
        assert site_menu(request) is first


def test_a_role_taken_away_leaves_the_menu_on_the_next_page(people, login):
    client = login(people.auditor)
    assert reverse("audit:audit_list") in _nav_links(client)
    people.auditor.role_assignments.filter(role=Role.AUDITOR).delete()
    assert reverse("audit:audit_list") not in _nav_links(client)


def test_an_anonymous_page_links_the_brand_home(client):
    html = client.get(reverse("account_login")).content.decode()
    assert f'class="brand" href="{reverse("work:home")}"' in html
