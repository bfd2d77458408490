"""Portal origins: exactly scheme, host and port, or a reason why not."""

import pytest

from backend.widgets.origins import OriginError, normalise_origin


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://www.halberstadt.de", "https://www.halberstadt.de"),
        ("  HTTPS://WWW.Halberstadt.DE/ ", "https://www.halberstadt.de"),
        ("https://portal.stassfurt.de:8443", "https://portal.stassfurt.de:8443"),
        ("https://www.quedlinburg.de:443", "https://www.quedlinburg.de"),
        ("https://staßfurt.de", "https://xn--stafurt-2va.de"),
        ("http://127.0.0.1:5001", "http://127.0.0.1:5001"),
        ("http://localhost:8080", "http://localhost:8080"),
        ("http://[::1]:5001", "http://[::1]:5001"),
    ],
)
def test_valid_origins_are_normalised(raw, expected):
    assert normalise_origin(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("www.halberstadt.de", "not an origin"),
        ("https://www.halberstadt.de/notdienst", "no path"),
        ("https://www.halberstadt.de?x=1", "no path, query"),
        ("https://www.halberstadt.de#top", "no path, query or fragment"),
        ("https://*.halberstadt.de", "wildcards"),
        ("*", "wildcards"),
        ("ftp://www.halberstadt.de", "not an origin"),
        ("javascript:alert(1)", "not an origin"),
        ("https://user:pw@www.halberstadt.de", "no user name"),
        ("https://www.halberstadt.de:99999", "port"),
        ("https://www.halberstadt.de:0", "port"),
        ("https://bad_host.de", "not a valid host"),
        ("https://-bad.de", "not a valid host"),
        ("http://www.halberstadt.de", "https"),
        ("https://", "not an origin"),
    ],
)
def test_invalid_origins_are_refused_with_the_reason(raw, reason):
    with pytest.raises(OriginError, match=reason) as refused:
        normalise_origin(raw)
    # The console shows the reason in German first.
    assert refused.value.de and refused.value.de != str(refused.value)
