"""The price of a meal: the band's price valid on the day, the full tariff otherwise, and the
sibling discount from the second child; and the charge handler pricing a batch with them."""

import uuid
from datetime import date

from accounts.domain.tariffs import EnrolledBand, Pricing, price_on, with_sibling_discount
from accounts.handlers.charge_for_meals import meal_prices
from shared.events import MealConsumed
from shared.school_year import SchoolYear

from .fakes import FakeAccountsUnitOfWork

YEAR = SchoolYear(2026)
PRICES = {("isee-2", YEAR): [(date(2026, 9, 1), 400), (date(2026, 11, 16), 420)]}


def test_the_price_is_the_latest_valid_on_the_day() -> None:
    prices = PRICES[("isee-2", YEAR)]
    assert price_on(prices, date(2026, 8, 31)) is None
    assert price_on(prices, date(2026, 11, 15)) == 400
    assert price_on(prices, date(2026, 11, 16)) == 420


def test_the_sibling_discount_starts_from_the_second_child_rounded_half_up() -> None:
    assert with_sibling_discount(450, 1, 20) == 450
    assert with_sibling_discount(450, 2, 20) == 360
    assert with_sibling_discount(425, 3, 10) == 383  # 382.5 -> 383
    assert with_sibling_discount(450, 2, 0) == 450


def test_no_band_or_no_price_yet_means_the_full_tariff() -> None:
    pricing = Pricing(default_cents=450, sibling_discount_percent=20)
    assert pricing.meal_price(date(2026, 11, 20), None, PRICES) == 450
    assert pricing.meal_price(date(2026, 11, 20), EnrolledBand(None, 2), PRICES) == 360
    assert pricing.meal_price(date(2026, 9, 10), EnrolledBand("no-such-band", 1), PRICES) == 450
    assert pricing.meal_price(date(2026, 11, 20), EnrolledBand("isee-2", 1), PRICES) == 420
    assert pricing.meal_price(date(2026, 11, 20), EnrolledBand("isee-2", 2), PRICES) == 336
    # The band's prices are those of the meal's own school year.
    assert pricing.meal_price(date(2027, 9, 20), EnrolledBand("isee-2", 1), PRICES) == 450


async def test_a_batch_is_priced_per_child_and_day() -> None:
    uow = FakeAccountsUnitOfWork()
    account = uuid.uuid4()
    first, second, unknown = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    uow.tariffs.price_lists |= PRICES
    uow.tariffs.enrolled |= {(first, YEAR): EnrolledBand("isee-2", 1), (second, YEAR): EnrolledBand("isee-2", 2)}
    meals = [meal(account, first, date(2026, 11, 10)), meal(account, second, date(2026, 11, 20))]
    meals.append(meal(account, unknown, date(2026, 11, 20)))
    prices = await meal_prices(uow, meals, Pricing(450, 20))
    assert [prices[m.meal_id] for m in meals] == [400, 336, 450]


def meal(account_id: uuid.UUID, student_id: uuid.UUID, day: date) -> MealConsumed:
    return MealConsumed(
        meal_id=uuid.uuid5(uuid.NAMESPACE_URL, f"{student_id}:{day}"),
        student_id=student_id,
        account_id=account_id,
        school_id="primaria-roma",
        class_id="2B",
        service_date=day,
    )
