from decimal import Decimal

from funding.selectors import allocate

D = Decimal


def test_allocation_sums_exactly_to_the_fen():
    shares = allocate(D("0.05"), [D("1"), D("1"), D("1")])
    assert shares == [D("0.02"), D("0.02"), D("0.01")]
    assert sum(shares) == D("0.05")


def test_allocation_of_tranche_1_of_scenario_a_follows_each_trade():
    assert allocate(D("128000.00"), [D("126000"), D("90000"), D("40000")]) == [D("63000.00"), D("45000.00"), D("20000.00")]


def test_allocation_of_a_negative_amount_mirrors_the_positive():
    assert allocate(D("-0.05"), [D("1"), D("1"), D("1")]) == [D("-0.02"), D("-0.02"), D("-0.01")]
