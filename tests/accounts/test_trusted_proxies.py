"""Issue 25 §5: X-Forwarded-For is believed only from a configured proxy (TRUSTED_PROXIES), read from the
right one hop per proxy. A client that reaches gunicorn directly cannot name its own address."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import SecurityEvent
from accounts.security import client_ip
from tests.factories import PASSWORD

WRONG = "wrong-Password1"


def address(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    return settings


def test_the_header_from_a_peer_that_is_not_a_proxy_is_ignored(behind_nginx):
    assert address("198.51.100.66", "6.6.6.7") == "198.51.100.66"


def test_the_header_from_the_trusted_proxy_names_the_client(behind_nginx):
    assert address("127.0.0.1", "6.6.6.7, 203.0.113.7") == "203.0.113.7"


def test_a_proxy_network_is_trusted_as_a_whole(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert address("10.3.4.5", "203.0.113.9") == "203.0.113.9"
    assert address("11.3.4.5", "203.0.113.9") == "11.3.4.5"


def test_ipv6_proxies_and_clients(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["::1", "fd00::/8"]
    assert address("::1", "2001:db8::8") == "2001:db8::8"
    assert address("fd00::1", "2001:db8::7") == "2001:db8::7"
    assert address("2001:db8::66", "2001:db8::7") == "2001:db8::66"


def test_an_ipv4_peer_seen_through_an_ipv6_socket_is_still_the_proxy(behind_nginx):
    assert address("::ffff:127.0.0.1", "203.0.113.7") == "203.0.113.7"


def test_two_proxies_are_walked_from_the_right_and_stop_at_the_first_address_that_is_not_one(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/24"]
    # Through the load balancer (10.0.0.2) and nginx: the client is what the load balancer saw.
    assert address("127.0.0.1", "6.6.6.7, 203.0.113.5, 10.0.0.2") == "203.0.113.5"
    # Straight to nginx, past the load balancer, naming a proxy's address: nginx saw 198.51.100.4.
    assert address("127.0.0.1", "10.0.0.9, 198.51.100.4") == "198.51.100.4"


def test_no_trusted_proxy_count_ignores_the_header_even_from_a_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert address("127.0.0.1", "203.0.113.7") == "127.0.0.1"


def test_a_hop_that_is_not_an_address_leaves_the_proxy_as_the_client(behind_nginx):
    assert address("127.0.0.1", "not-an-address") == "127.0.0.1"


@pytest.mark.django_db
def test_a_client_talking_to_gunicorn_directly_is_logged_and_locked_out_by_its_own_address(client, organizer, behind_nginx):
    organizer.set_password(PASSWORD)
    organizer.save()
    url = reverse("accounts:login")
    for n in range(5):
        client.post(url, {"username": organizer.username, "password": WRONG},
                    REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR=f"6.6.6.{n}")
    assert set(SecurityEvent.objects.filter(kind="login_failed").values_list("ip_address", flat=True)) == {"198.51.100.66"}
    refused = client.post(url, {"username": organizer.username, "password": PASSWORD},
                          REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_FOR="6.6.6.7")
    assert refused.status_code == 429


def test_a_wrong_trusted_proxies_entry_stops_the_start():
    from tests.test_settings import run_python

    code = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','haidian_contest.settings');"
            "from django.core.exceptions import ImproperlyConfigured\n"
            "try:\n    django.setup()\nexcept ImproperlyConfigured as exc:\n    print(exc)")
    assert "TRUSTED_PROXIES" in run_python(code, DEBUG="true", TRUSTED_PROXIES="127.0.0.1,nginx.local").stdout


@pytest.fixture
def https_behind_nginx(behind_nginx):
    behind_nginx.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    behind_nginx.SECURE_SSL_REDIRECT = True
    return behind_nginx


def test_x_forwarded_proto_from_a_peer_that_is_not_a_proxy_does_not_pass_for_tls(client, https_behind_nginx):
    response = client.get(reverse("accounts:login"), REMOTE_ADDR="198.51.100.66", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_x_forwarded_proto_from_the_trusted_proxy_is_believed(client, https_behind_nginx):
    response = client.get(reverse("accounts:login"), REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
