from disclosure.sanitize import sanitize_html


def test_scripts_and_styles_are_removed_with_their_content():
    assert sanitize_html("<p>正文</p><script>alert(1)</script><style>p{}</style>") == "<p>正文</p>"


def test_event_handler_and_style_attributes_are_dropped():
    assert sanitize_html('<p onclick="steal()" style="color:red">正文</p>') == "<p>正文</p>"
    assert sanitize_html('<img src="/media/a.png" onerror="steal()" alt="图">') == '<img src="/media/a.png" alt="图">'


def test_javascript_and_data_links_lose_their_href():
    assert "javascript" not in sanitize_html('<a href="javascript:alert(1)">点此</a>')
    assert "javascript" not in sanitize_html('<a href="JaVaScRiPt:alert(1)">点此</a>')
    assert "data:" not in sanitize_html('<a href="data:text/html;base64,PHNjcmlwdD4=">点此</a>')


def test_ordinary_and_relative_links_stay_with_a_safe_rel():
    cleaned = sanitize_html('<a href="https://www.gov.cn/">中国政府网</a> <a href="/items/1/">本站</a>')
    assert '<a href="https://www.gov.cn/" rel="noopener noreferrer">中国政府网</a>' in cleaned
    assert '<a href="/items/1/" rel="noopener noreferrer">本站</a>' in cleaned


def test_tables_and_headings_below_h1_are_kept():
    html = '<h2>一、总则</h2><table><tr><th scope="col">项目</th><td colspan="2">金额</td></tr></table>'
    assert sanitize_html(html) == '<h2>一、总则</h2><table><tbody><tr><th scope="col">项目</th><td colspan="2">金额</td></tr></tbody></table>'


def test_h1_iframe_and_forms_are_not_allowed():
    cleaned = sanitize_html('<h1>标题</h1><iframe src="https://x"></iframe><form action="/x"><input name="a"></form>')
    assert cleaned == "标题"


def test_empty_body_stays_empty():
    assert sanitize_html("") == ""
    assert sanitize_html(None) == ""
