def test_home_page_lists_the_column_tree(site, page):
    page.goto(site.url + "/")
    assert page.locator("h1").count() == 1
    page.get_by_role("link", name="依申请公开").first.click()
    assert page.locator("h1").inner_text() == "依申请公开"
