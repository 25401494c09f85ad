from zoneinfo import ZoneInfo

import pytest

from notifications.adapters.jinja_templates import JinjaTemplates
from notifications.adapters.twilio import placeholder
from notifications.domain.delivery import mask
from notifications.domain.notices import REQUESTABLE
from notifications.domain.rules import Rule

templates = JinjaTemplates("https://mensa.example.it", ZoneInfo("Europe/Rome"))

PARAMS = {
    Rule.LOW_CREDIT: {"balance_cents": 1800, "threshold_cents": 2250},
    Rule.IN_DEBT: {"balance_cents": -123450},
    Rule.REMINDER: {"balance_cents": -900, "negative_since": "2026-11-01T23:30:00+00:00"},
    Rule.PAYMENT_CONFIRMATION: {"amount_cents": 2000, "paid_at": "2026-11-20T15:30:00+00:00"},
    Rule.PASSWORD_RESET: {"reset_url": "https://mensa.example.it/r?t=abc"},
    Rule.BROADCAST: {"subject": "Mensa chiusa", "text": "Sciopero giovedì."},
}


@pytest.mark.parametrize("rule", list(Rule))
def test_every_rule_has_an_italian_email_with_subject_greeting_and_portal(rule: Rule) -> None:
    subject, body = templates.render(rule, "email", "Rossi", PARAMS[rule])
    assert subject and "\n" not in subject
    assert body.startswith("Gentile famiglia Rossi,\n\n")
    assert "https://mensa.example.it" in body


def test_amounts_and_dates_are_shown_the_italian_way() -> None:
    _, debt = templates.render(Rule.IN_DEBT, "email", "Rossi", PARAMS[Rule.IN_DEBT])
    assert "-€ 1.234,50" in debt
    _, reminder = templates.render(Rule.REMINDER, "email", "", PARAMS[Rule.REMINDER])
    assert reminder.startswith("Gentile famiglia,\n")
    assert "dal 02/11/2026" in reminder and "€ 9,00" in reminder  # 23:30 UTC is the next day in Rome
    _, sms = templates.render(Rule.PAYMENT_CONFIRMATION, "sms", "Rossi", PARAMS[Rule.PAYMENT_CONFIRMATION])
    assert sms == "Mensa scolastica: ricevuta ricarica di € 20,00. Saldo su https://mensa.example.it"


def test_every_channel_a_request_may_use_has_a_template() -> None:
    for rule, _, channels in REQUESTABLE.values():
        for channel in channels:
            assert templates.render(rule, channel, "Rossi", PARAMS[rule])[1]


def test_a_missing_parameter_is_an_error_not_a_blank() -> None:
    with pytest.raises(Exception, match="balance_cents"):
        templates.render(Rule.IN_DEBT, "sms", "Rossi", {})


def test_addresses_are_masked_for_the_office() -> None:
    assert mask("maria.rossi@example.it") == "m***@example.it"
    assert mask("+393331234567") == "***4567"
    assert mask(None) is None


def test_placeholder_credentials_never_reach_the_real_twilio() -> None:
    assert placeholder("https://api.twilio.com", "dev-account-sid")
    assert not placeholder("http://127.0.0.1:1026", "dev-account-sid")  # the local catcher
    assert not placeholder("https://api.twilio.com", "AC0123")
