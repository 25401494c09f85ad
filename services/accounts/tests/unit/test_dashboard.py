"""The Cruscotto's schools a page at a time (a city has hundreds) and the city's meals chart."""

from datetime import date, datetime

from accounts.domain.dashboard import SchoolDay, SchoolMeals, SchoolsShown, city_meals

NOON = datetime(2026, 12, 2, 12, 0)


def school(code: str, serves: bool = True, closed: bool = True, never_closed: int = 0) -> SchoolDay:
    return SchoolDay(code, serves, NOON if closed else None, 0, 0, [], [], never_closed, [])


def test_the_schools_that_need_the_office_come_first_and_the_counts_are_the_citys() -> None:
    schools = [
        school("a-chiusa"),
        school("b-aperta", closed=False),
        school("c-arretrata", never_closed=2),
        school("d-senza-servizio", serves=False, closed=False),
    ]
    shown = SchoolsShown.of(schools, "", 1, 2)
    assert [s.school_id for s in shown.schools] == ["b-aperta", "c-arretrata"]
    assert (shown.pages, shown.matching, shown.serving, shown.closed, shown.late) == (2, 4, 3, 2, 1)
    second = SchoolsShown.of(schools, "", 2, 2)
    assert [s.school_id for s in second.schools] == ["a-chiusa", "d-senza-servizio"]


def test_a_query_keeps_the_schools_whose_code_contains_it_and_a_page_past_the_end_shows_the_last() -> None:
    schools = [school(f"primaria-{n}") for n in range(5)] + [school("infanzia-1")]
    shown = SchoolsShown.of(schools, " PRIMARIA ", 9, 2)
    assert (shown.query, shown.page, shown.pages, shown.matching) == ("PRIMARIA", 3, 3, 5)
    assert [s.school_id for s in shown.schools] == ["primaria-4"]
    assert shown.serving == 6  # the whole city's, whatever the filter


def test_the_chart_of_one_school_only_when_the_query_names_it() -> None:
    days = [date(2026, 12, 1), date(2026, 12, 2)]
    meals = [
        SchoolMeals("primaria-1", list(zip(days, [3, 4], strict=True))),
        SchoolMeals("infanzia-1", list(zip(days, [1, 0], strict=True))),
    ]
    assert city_meals(meals) == [(days[0], 4), (days[1], 4)]
    assert city_meals([]) == []
    assert SchoolsShown.of([], "Primaria-1", 1, 20).chosen(meals) == meals[0]
    assert SchoolsShown.of([], "primaria", 1, 20).chosen(meals) is None
    assert SchoolsShown.of([], "", 1, 20).chosen(meals) is None
