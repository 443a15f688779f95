#!/usr/bin/python3
"""Tests of report_charts.py: log axes only where values span more than ten times, error bars only
where repetitions spread, and no empty categories."""
from __future__ import annotations

import unittest

import report_charts as charts


class ChartsTest(unittest.TestCase):
    def test_an_axis_is_logarithmic_only_when_values_span_more_than_ten_times(self) -> None:
        narrow = charts.bars("t", "µs", ["a", "b"], [100.0, 900.0])
        wide = charts.bars("t", "µs", ["a", "b"], [100.0, 1100.0])
        self.addCleanup(charts.close, narrow)
        self.addCleanup(charts.close, wide)
        self.assertEqual(narrow.axes[0].get_yscale(), "linear")
        self.assertEqual(wide.axes[0].get_yscale(), "log")
        self.assertIn("log scale", wide.axes[0].get_ylabel())
        self.assertFalse(charts.is_wide([0.0, 5.0, float("nan"), 40.0]))

    def test_error_bars_are_drawn_from_the_spread_of_repetitions(self) -> None:
        self.assertEqual(charts.spread([1.0]), 0.0)
        self.assertAlmostEqual(charts.spread([1.0, 3.0]), 2 ** 0.5)
        with_spread = charts.client_server_bars("t", "µs", ["a"], [(10.0, 1.0)], [(9.0, 0.5)])
        exact = charts.client_server_bars("t", "M", ["a"], [(10.0, 0.0)], [(9.0, 0.0)])
        self.addCleanup(charts.close, with_spread)
        self.addCleanup(charts.close, exact)
        self.assertEqual(len(with_spread.axes[0].containers), 4)  # two bar sets, two error sets
        self.assertEqual(len(exact.axes[0].containers), 2)
        self.assertEqual([t.get_text() for t in with_spread.axes[0].get_legend().get_texts()],
                         ["client", "server"])

    def test_a_category_no_build_has_is_left_out(self) -> None:
        fig = charts.grouped_bars("t", "×", ["PSK", "SRP", "RPK"],
                                  [("one", {"PSK": 0.5}), ("two", {"PSK": 0.4, "RPK": 0.9})])
        self.addCleanup(charts.close, fig)
        self.assertEqual([t.get_text() for t in fig.axes[0].get_xticklabels()], ["PSK", "RPK"])
        self.assertEqual(sum(len(c) for c in fig.axes[0].containers), 3)

    def test_bar_labels_are_plain_numbers(self) -> None:
        self.assertEqual(charts.short(5170.4), "5,170")
        self.assertEqual(charts.short(2.345), "2.35")


if __name__ == "__main__":
    unittest.main()
