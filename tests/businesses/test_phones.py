"""Phone numbers: E.164 for storage, national format for display."""

from __future__ import annotations

import pytest

from backend.businesses.phones import PhoneNumberError, format_national, is_mobile, normalise_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03941 12345", "+49394112345"),
        ("03941/12345", "+49394112345"),
        ("03941-12345", "+49394112345"),
        ("(03941) 12345", "+49394112345"),
        ("+49 (0)3941 12345", "+49394112345"),
        ("0049 3941 12345", "+49394112345"),
        ("+49394112345", "+49394112345"),
        ("0171 1234567", "+491711234567"),
        (" 0151 23456789 ", "+4915123456789"),
        ("+43 1 5321234", "+4315321234"),
    ],
)
def test_normalise_to_e164(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "12345", "0394", "112", "03941 12345678901234"])
def test_invalid_numbers_are_refused_in_english_and_german(raw):
    with pytest.raises(PhoneNumberError) as info:
        normalise_phone(raw)
    assert "phone number" in info.value.message
    assert "Telefonnummer" in info.value.message_de


def test_mobile_numbers():
    assert normalise_phone("0160 1234567", mobile=True) == "+491601234567"
    with pytest.raises(PhoneNumberError, match="not a mobile number"):
        normalise_phone("03941 12345", mobile=True)
    assert is_mobile("+491601234567")
    assert not is_mobile("+49394112345")


def test_national_display_format():
    assert format_national("+49394112345") == "03941 12345"
    assert format_national("+491711234567") == "0171 1234567"
    assert format_national("+4315321234") == "+43 1 5321234"
