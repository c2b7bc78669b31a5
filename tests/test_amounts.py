"""bot.amounts: amounts read as people and the sources write them, and written back in French style."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.amounts import (
    Amount,
    find_amounts,
    format_amount,
    format_number,
    mismatch,
    parse_amount,
)
from bot.messages import load_messages

# (text, low, high, unit, written back)
READ = [
    ("80k", 80_000, 80_000, "€", "80 k€"),
    ("80 k€", 80_000, 80_000, "€", "80 k€"),
    ("80K€", 80_000, 80_000, "€", "80 k€"),
    ("80 000 €", 80_000, 80_000, "€", "80 000 €"),
    ("80.000 euros", 80_000, 80_000, "€", "80 000 €"),
    ("100.000 euros", 100_000, 100_000, "€", "100 000 €"),
    ("0,08 M€", 80_000, 80_000, "€", "0,08 M€"),
    ("1,2 M€", 1_200_000, 1_200_000, "€", "1,2 M€"),
    ("80 mille", 80_000, 80_000, "€", "80 k€"),
    ("$120k", 120_000, 120_000, "$", "120 k$"),
    ("$120,000", 120_000, 120_000, "$", "120 000 $"),
    ("57 504 $", 57_504, 57_504, "$", "57 504 $"),
    ("35-45K€", 35_000, 45_000, "€", "35–45 k€"),
    ("50-70K€", 50_000, 70_000, "€", "50–70 k€"),
    ("10 à 30%", 10, 30, "%", "10–30 %"),
    ("28k - 60k €", 28_000, 60_000, "€", "28–60 k€"),
    ("entre 35 et 45k€", 35_000, 45_000, "€", "35–45 k€"),
    ("26 %", 26, 26, "%", "26 %"),
    ("30-40%", 30, 40, "%", "30–40 %"),
    ("1 080 000€", 1_080_000, 1_080_000, "€", "1 080 000 €"),
    ("13,5", 13.5, 13.5, "", "13,5"),
    ("15 000€ d'ARR", 15_000, 15_000, "€", "15 000 €"),
    ("45", 45, 45, "", "45"),
    ("1 milliard d'euros", 1e9, 1e9, "€", "1 000 M€"),
    ("1,2M de pipe", 1_200_000, 1_200_000, "€", "1,2 M€"),      # an M stuck to its number, then what it counts
]


@pytest.mark.parametrize("text, low, high, unit, back", READ)
def test_amounts_are_read_as_written_and_written_back_in_french_style(text, low, high, unit, back):
    """Each way of writing an amount gives its bounds and unit, and is written back the French way."""
    amount = parse_amount(text)
    assert amount is not None
    assert (amount.low, amount.high, amount.unit) == (pytest.approx(low), pytest.approx(high), unit)
    assert format_amount(amount) == back


def test_several_amounts_in_a_sentence_keep_their_order_and_positions():
    """find_amounts lists every amount in order, a range counting once, with its place in the text."""
    text = "quota 80k, pipe 150k ; variable de 10 à 30% du fixe"
    found = find_amounts(text)
    assert [str(f.amount) for f in found] == ["80 k€", "150 k€", "10–30 %"]
    assert [text[f.start:f.end] for f in found] == ["80k", "150k", "10 à 30%"]


@pytest.mark.parametrize("text, expected", [
    ("70k - 45k", ["70 k€", "45 k€"]),           # a falling "range" is a subtraction
    ("en mai 2021, 57 504 $", ["57 504 $"]),      # a year is not an amount
    ("57 504 $ (Glassdoor, May 2021)", ["57 504 $"]),   # nor in English
    ("le x3 du pipe", []),                        # nor is the rule's factor glued to its x
    ("5 m de haut", ["5"]),                       # an m apart from its number is no million
    ("mon n+1 me demande", []),                   # the manager and a level of studies are no amounts
    ("un bac+5 et 80k", ["80 k€"]),
    ("une hausse de +15 %", ["15 %"]),            # a plus sign alone stays a sign
    ("j'en embauche un 4eme", ["4"]),             # an ordinal counts as its number
    ("hire a 4th AM", ["4"]),
    ("un 4ème AM pour 60k", ["4", "60 k€"]),
])
def test_what_is_not_one_amount(text, expected):
    """Subtractions, dates and the ×3 factor are not read as ranges or amounts."""
    assert [str(f.amount) for f in find_amounts(text)] == expected


@pytest.mark.parametrize("text, period", [
    ("60 000 € annuels bruts", "an"), ("120 000€/trimestre", "trimestre"), ("12 démos par semaine", "semaine"),
    ("4 000 € par mois", "mois"), ("80k", None),
])
def test_periods_are_read(text, period):
    """A period written after an amount (« par mois », « /trimestre », « annuels ») is kept."""
    amount = parse_amount(text)
    assert amount is not None and amount.period == period


def test_averages_and_floors_are_flagged():
    """« 26 % (moyenne) » is an average; « peut largement dépasser les 60 k€ » only a floor."""
    assert parse_amount("26 % (moyenne)").approx
    floor = parse_amount("peut largement dépasser les 60 k€")
    assert floor.at_least and format_amount(floor) == "plus de 60 k€"


def test_no_amount_is_none():
    """A text without a number gives None, not an error."""
    assert parse_amount("combien gagne un KAM ?") is None
    assert find_amounts("") == []


def test_currency_and_period_mismatch_are_said():
    """Dollars against euros, or a monthly against a yearly amount, cannot be combined as they are."""
    messages = load_messages()
    currency = mismatch(Amount(57_504, 57_504, "$"), Amount(60_000, 60_000, "€"))
    assert messages.write(currency, "fr") == "l’un est en dollars, l’autre en euros"
    assert messages.write(currency, "en") == "one is in dollars, the other in euros"
    period = mismatch(Amount(4e3, 4e3, period="mois"), Amount(6e4, 6e4, period="an"))
    assert "mois" in messages.write(period, "fr") and "month" in messages.write(period, "en")
    assert mismatch(Amount(35e3, 45e3), Amount(15e3, 25e3)) is None


@pytest.mark.parametrize("value, text", [
    (15600, "15 600"), (10 / 3, "3,33"), (0.0, "0"), (-10_000, "−10 000"), (1e15, "1 000 000 000 000 000"),
    (float("inf"), "∞"),
])
def test_numbers_are_written_the_french_way(value, text):
    """Spaces between thousands, a decimal comma, a true minus sign, no trailing zeros."""
    assert format_number(value) == text


def test_a_range_with_a_negative_bound_reads_with_a():
    """« −10–10 k€ » would read as a subtraction, so a range below zero is written « −10 à 10 k€ »."""
    assert format_amount(Amount(-10_000, 10_000, scale="k")) == "−10 à 10 k€"


def test_bounds_are_put_in_order():
    """An Amount never has low above high."""
    amount = Amount(70, 50, "%")
    assert (amount.low, amount.high) == (50, 70)


@given(st.text(max_size=200))
def test_any_text_reads_without_error(text):
    """Whatever is typed, reading amounts never raises and every range goes up."""
    for found in find_amounts(text):
        assert found.amount.low <= found.amount.high
        assert isinstance(format_amount(found.amount), str)


@given(st.integers(min_value=0, max_value=10**9))
def test_written_euros_read_back_to_the_same_value(value):
    """An amount in euros written by format_amount is read back as the same value."""
    amount = Amount(value, value)
    again = parse_amount(format_amount(amount))
    assert again is not None and again.low == value and again.unit == "€"


def test_commas_group_thousands_of_an_amount_in_euros_with_no_scale():
    """« 150,000 euros » is 150 000 € (no one writes 150 € so); « 1,5 k€ » and « 1,5 € » keep their decimal comma."""
    from bot.amounts import find_amounts
    assert [f.amount.low for f in find_amounts("a quota of 150,000 euros")] == [150000.0]
    assert [f.amount.low for f in find_amounts("1,5 k€")] == [1500.0]
    assert [f.amount.low for f in find_amounts("1,5 €")] == [1.5]


@pytest.mark.parametrize("text, expected", [
    # « de X et Y » is two amounts; only « entre X et Y » / « between X and Y » is a range.
    ("un objectif trimestriel de 120 000 € et 270 000 € de pipeline", ["120 000 €", "270 000 €"]),
    ("entre 35 et 45 k€", ["35–45 k€"]),
    ("between 30 and 40%", ["30–40 %"]),
])
def test_two_amounts_joined_by_and_are_a_range_only_after_between(text, expected):
    assert [str(f.amount) for f in find_amounts(text)] == expected


@pytest.mark.parametrize("text, amount", [
    ("a 1.2M annual quota", "1,2 M€"),
    ("quota de 1,2M par an", "1,2 M€"),
    ("$1.2M quota", "1,2 M$"),
])
def test_a_capital_m_stuck_to_a_number_is_millions_whatever_follows(text, amount):
    assert [str(f.amount) for f in find_amounts(text)] == [amount]


@pytest.mark.parametrize("text, expected", [
    # amounts written in words, closed by a scale word or a currency
    ("cent vingt mille euros de quota", ["120 k€"]),
    ("deux cent mille de pipe", ["200 k€"]),
    ("quatre-vingt mille euros", ["80 k€"]),
    ("a two hundred thousand dollar quota", ["200 k$"]),
    ("trois millions", ["3 M€"]),
    # number words with no scale stay words
    ("un AE et deux KAM", []),
    ("mille mercis", []),
    ("le CA d'un peu plus d'un million", []),
    ("un million d'euros de CA", []),
    ("un million €", ["1 M€"]),
])
def test_amounts_written_in_words(text, expected):
    assert [str(f.amount) for f in find_amounts(text)] == expected
