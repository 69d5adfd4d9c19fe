"""The main navigation (fundapp/core/navigation.py): every role's links, Home first, short
menus, exactly one link marked aria-current; breadcrumbs on detail pages."""

import re

import pytest
from django.urls import reverse

from fundapp.accounts.roles import Role, grant_role
from fundapp.core.navigation import Link, Menu, entries_for
from tests.donors.factories import DonorFactory, record
from tests.grants.implementation.helpers import make_grant

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav class="mainnav".*?</nav>', re.S)


def nav_of(client, url=None) -> str:
    body = client.get(url or reverse("grants:call-list")).content.decode()
    return NAV.search(body).group(0)


def hrefs(nav: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', nav)


def current(nav: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)" aria-current="page">', nav)


EXPECTED = {
    "secretariat": ["dashboard", "grants:application-list", "grants:call-manage-list",
                    "grants:screening-queue", "grants:review-calls", "grants:ranking-calls",
                    "grants:board-home", "grants:grant-portfolio", "grants:reports-manage",
                    "grants:impact",
                    "donors:home", "donors:donor-list", "donors:pledge-list",
                    "donors:contribution-list", "donors:reports", "grants:organisation-list",
                    "grants:people-list", "notifications:centre"],
    "ngo": ["dashboard", "grants:call-list", "grants:my-applications", "grants:grant-portfolio",
            "grants:reports", "grants:my-organisation", "grants:members",
            "notifications:centre"],
    "reviewer": ["dashboard", "grants:my-reviews", "grants:call-list", "notifications:centre"],
    "board_member": ["dashboard", "grants:board-home", "grants:application-list",
                     "grants:ranking-calls", "grants:grant-portfolio", "donors:home",
                     "donors:reports", "grants:impact", "notifications:centre"],
    "donor": ["dashboard", "donors:portal", "donors:reports", "grants:impact", "donors:home",
              "notifications:centre"],
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_every_roles_links_are_in_the_nav_home_first(request, login, role):
    nav = nav_of(login(request.getfixturevalue(role)))
    assert hrefs(nav) == [reverse(name) for name in EXPECTED[role]]
    assert hrefs(nav)[0] == reverse("dashboard")


def test_anonymous_visitors_see_the_public_pages(login):
    nav = nav_of(login(None))
    assert hrefs(nav) == [reverse("grants:call-list"), reverse("donors:transparency"),
                          reverse("grants:impact-public")]


def test_the_secretariat_nav_is_short_menus(login, secretariat):
    entries = entries_for({Role.SECRETARIAT})
    assert len(entries) <= 7 and all(len(e.links) <= 6 for e in entries if isinstance(e, Menu))
    nav = nav_of(login(secretariat))
    assert nav.count("<details data-navgroup>") == 3
    assert '<summary class="navmenu-toggle">Menu</summary>' in nav   # the phone's menu


def test_several_roles_get_each_link_once(login, ngo):
    grant_role(ngo, Role.BOARD)
    links = hrefs(nav_of(login(ngo)))
    assert len(links) == len(set(links))
    assert reverse("grants:board-home") in links and reverse("grants:my-applications") in links
    assert all(isinstance(e, (Link, Menu)) for e in entries_for({Role.NGO, Role.BOARD}))


@pytest.mark.parametrize("name, args, marked", [
    ("grants:application-list", [], "grants:application-list"),
    ("grants:screening-queue", [], "grants:screening-queue"),
    ("grants:review-calls", [], "grants:review-calls"),
    ("grants:people-list", [], "grants:people-list"),
    ("donors:donor-list", [], "donors:donor-list"),
    ("donors:rates", [], "donors:home"),          # a donors page of no link of its own
    ("dashboard", [], "dashboard"),
    ("grants:search", [], None),
])
def test_exactly_one_link_is_current(login, secretariat, name, args, marked):
    nav = nav_of(login(secretariat), reverse(name, args=args))
    assert current(nav) == ([reverse(marked)] if marked else [])
    if marked and marked != "dashboard":
        group = re.search(r'<li class="navgroup current">.*?</li>\s*</ul>', nav, re.S)
        inside_menu = marked not in ("grants:people-list",)
        assert bool(group and reverse(marked) in group.group(0)) == inside_menu


def test_an_ngos_application_pages_mark_my_applications(login, ngo, app):
    nav = nav_of(login(ngo), reverse("grants:application-detail", args=[app.pk]))
    assert current(nav) == [reverse("grants:my-applications")]


def crumbs(body: str) -> str:
    found = re.search(r'<nav class="breadcrumbs" aria-label="Breadcrumb"><ol>(.*?)</ol></nav>',
                      body, re.S)
    assert found, "no breadcrumbs"
    return found.group(1)


def test_detail_pages_have_breadcrumbs(login, secretariat, organisation, app):
    client = login(secretariat)
    grant = make_grant(organisation)
    donor = DonorFactory(name="Luxembourg", country="LU")
    money = record(donor, amount="1000.00", bank_reference="LU-1")
    pages = [
        (reverse("grants:application-detail", args=[app.pk]), "grants:application-list"),
        (reverse("grants:organisation-verify", args=[organisation.pk]),
         "grants:organisation-list"),
        (reverse("grants:grant-implementation", args=[grant.pk]), "grants:grant-portfolio"),
        (reverse("grants:call-detail", args=[app.call.pk]), "grants:call-manage-list"),
        (reverse("grants:screening-detail", args=[app.pk]), "grants:screening-queue"),
        (reverse("grants:review-progress", args=[app.call.pk]), "grants:review-calls"),
        (reverse("grants:person-detail", args=[secretariat.pk]), "grants:people-list"),
        (reverse("donors:donor-detail", args=[donor.pk]), "donors:donor-list"),
        (reverse("donors:contribution-detail", args=[money.pk]), "donors:contribution-list"),
    ]
    for url, parent in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        trail = crumbs(response.content.decode())
        assert f'href="{reverse(parent)}"' in trail, url
        assert trail.count('aria-current="page"') == 1, url
    trail = crumbs(client.get(pages[-1][0]).content.decode())
    assert money.receipt_number in trail


def test_an_ngo_sees_its_own_trail(login, ngo, app):
    trail = crumbs(login(ngo).get(reverse("grants:application-detail", args=[app.pk]))
                   .content.decode())
    assert reverse("grants:my-applications") in trail
    assert f'href="{reverse("grants:application-list")}"' not in trail
