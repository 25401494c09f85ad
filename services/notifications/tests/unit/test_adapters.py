from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from notifications.adapters.http_io import configured
from notifications.adapters.jinja_templates import JinjaTemplates
from notifications.adapters.twilio import placeholder
from notifications.config import NotificationsSettings
from notifications.domain.delivery import mask
from notifications.domain.io import PaymentData, io_message
from notifications.domain.notices import REQUESTABLE
from notifications.domain.rules import Rule

ROME = ZoneInfo("Europe/Rome")
templates = JinjaTemplates("https://mensa.example.it", ROME)

PARAMS = {
    Rule.LOW_CREDIT: {"balance_cents": 1800, "threshold_cents": 2250},
    Rule.IN_DEBT: {"balance_cents": -123450},
    Rule.REMINDER: {"balance_cents": -900, "negative_since": "2026-11-01T23:30:00+00:00"},
    Rule.PAYMENT_CONFIRMATION: {"amount_cents": 2000, "paid_at": "2026-11-20T15:30:00+00:00"},
    Rule.PASSWORD_RESET: {"reset_url": "https://mensa.example.it/r?t=abc"},
    Rule.BROADCAST: {"subject": "Mensa chiusa", "text": "Sciopero giovedì."},
    Rule.PAYMENT_NOTICE: {
        "notice_number": "302202500000123451",
        "amount_cents": 2500,
        "due_date": "2026-12-31",
        "payee_fiscal_code": "01234567897",
    },
    Rule.ASSISTANCE_REPLY: {"answered_at": "2026-11-20T15:30:00+00:00"},
}
ON_IO_ONLY = {Rule.PAYMENT_NOTICE}
NOT_ON_IO = {Rule.PASSWORD_RESET, Rule.ASSISTANCE_REPLY}


@pytest.mark.parametrize("rule", sorted(set(Rule) - ON_IO_ONLY))
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


@pytest.mark.parametrize("rule", sorted(set(Rule) - NOT_ON_IO))
def test_every_rule_on_io_fits_ios_limits_in_markdown(rule: Rule) -> None:
    subject, markdown = templates.render(rule, "io", "Rossi", PARAMS[rule])
    message = io_message(rule, subject, markdown, PARAMS[rule], ROME)
    assert (message.subject, message.markdown) == (subject, markdown)
    assert 10 <= len(subject) <= 120 and "\n" not in subject and 80 <= len(markdown) <= 10_000
    assert markdown.startswith("Gentile famiglia Rossi,\n\n") and "https://mensa.example.it" in markdown


def test_the_notice_in_io_carries_what_pays_it_due_at_the_end_of_its_day() -> None:
    params = PARAMS[Rule.PAYMENT_NOTICE]
    subject, markdown = templates.render(Rule.PAYMENT_NOTICE, "io", "Rossi", params)
    message = io_message(Rule.PAYMENT_NOTICE, subject, markdown, params, ROME)
    assert message.payment == PaymentData("302202500000123451", 2500, "01234567897")
    assert message.due_date == datetime(2026, 12, 31, 23, 59, 59, tzinfo=ROME)
    assert "**€ 25,00**" in markdown and "**31/12/2026**" in markdown and "3022 0250 0000 1234 51" in markdown
    low = io_message(Rule.LOW_CREDIT, "Credito in esaurimento", "x" * 80, PARAMS[Rule.LOW_CREDIT], ROME)
    assert (low.payment, low.due_date) == (None, None)


def test_an_io_text_out_of_ios_limits_is_shortened_or_refused() -> None:
    long = io_message(Rule.BROADCAST, "Mensa scolastica: " + "x" * 120, "y" * 80, {}, ROME)
    assert len(long.subject) == 120 and long.subject.endswith("…")
    with pytest.raises(ValueError, match="corpo 79"):
        io_message(Rule.BROADCAST, "Mensa chiusa giovedì", "y" * 79, {}, ROME)
    with pytest.raises(ValueError, match="oggetto 9"):
        io_message(Rule.BROADCAST, "x" * 9, "y" * 80, {}, ROME)
    with pytest.raises(ValueError, match="numero avviso"):
        io_message(
            Rule.PAYMENT_NOTICE,
            "Avviso di pagamento",
            "y" * 80,
            {**PARAMS[Rule.PAYMENT_NOTICE], "notice_number": "4" * 18},
            ROME,
        )


def test_a_missing_parameter_is_an_error_not_a_blank() -> None:
    with pytest.raises(Exception, match="balance_cents"):
        templates.render(Rule.IN_DEBT, "sms", "Rossi", {})


def test_addresses_are_masked_for_the_office() -> None:
    assert mask("maria.rossi@example.it") == "m***@example.it"
    assert mask("+393331234567") == "***4567"
    assert mask(None) is None


def test_placeholder_credentials_never_reach_the_real_io() -> None:
    assert not configured("https://api.io.pagopa.it/api/v1", None)
    assert not configured("https://api.io.pagopa.it/api/v1", "dev-io-key")
    assert configured("http://127.0.0.1:1027/api/v1", "dev-io-key")  # the local stand-in
    assert configured("https://api.io.pagopa.it/api/v1", "0123456789abcdef0123456789abcdef")


def test_without_a_key_io_is_off_and_no_message_is_queued_for_it() -> None:
    settings = NotificationsSettings(environment="test", database_url="postgresql+asyncpg://x/y", io_api_key="")
    assert (settings.io_api_key, settings.io_enabled, settings.policy().channels) == (None, False, ("email", "sms"))
    on = settings.model_copy(update={"io_api_key": "0123456789abcdef0123456789abcdef"})
    assert on.policy().channels == ("email", "sms", "io")
    strong = {"service_token": "s" * 20, "twilio_auth_token": "t" * 20, "database_url": "postgresql+asyncpg://x/y"}
    with pytest.raises(ValueError, match="io_api_key"):
        NotificationsSettings(environment="production", io_api_key="dev-io-key", **strong)
    assert NotificationsSettings(environment="production", **strong).io_enabled is False  # IO is optional


def test_placeholder_credentials_never_reach_the_real_twilio() -> None:
    assert placeholder("https://api.twilio.com", "dev-account-sid")
    assert not placeholder("http://127.0.0.1:1026", "dev-account-sid")  # the local catcher
    assert not placeholder("https://api.twilio.com", "AC0123")


def test_the_office_answer_email_says_where_to_read_it_not_what_it_says() -> None:
    subject, body = templates.render(Rule.ASSISTANCE_REPLY, "email", "Rossi", PARAMS[Rule.ASSISTANCE_REPLY])
    assert subject == "L'Ufficio Scuola ha risposto al suo messaggio"
    assert "il 20/11/2026" in body and "https://mensa.example.it/assistenza" in body
