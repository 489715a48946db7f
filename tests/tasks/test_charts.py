"""Server-side SVG charts: proportional, escaped, described for screen readers."""

import re

from tasks import charts


def test_bars_are_proportional_and_labels_escaped():
    svg = charts.horizontal_bars([("一、<决策>", 50), ("二、营商", None), ("三、越界", 140)], title="完成度")
    widths = [float(w) for w in re.findall(r'width="([\d.]+)" height="18" rx="3" fill="#a4161a"', svg)]
    assert widths == [165, 0, 330]  # half of 330; nothing; capped at 100 %
    assert "&lt;决策&gt;" in svg and "<决策>" not in svg
    assert 'role="img"' in svg and "<title" in svg and "一、&lt;决策&gt;：50%；二、营商：—" in svg


def test_columns_use_a_round_axis_and_keep_their_order():
    svg = charts.columns([("1月", 3), ("2月", 0), ("3月", 12)], title="每月发布信息数")
    ticks = re.findall(r'text-anchor="end" fill="#57606a">(\d+)<', svg)
    assert ticks == ["0", "10", "20"]
    heights = [float(h) for h in re.findall(r'height="([\d.]+)" fill="#a4161a"', svg)]
    assert heights == [27, 0, 108]  # 180 px for 20 items
    assert svg.index("1月") < svg.index("2月") < svg.index("3月")


def test_an_empty_series_still_draws():
    svg = charts.columns([("1月", 0)], title="空")
    assert 'height="0"' in svg and ">1<" in svg
