from django.test import override_settings


@override_settings(SITE_URL="https://cgp.example.cn/")
def test_robots_txt_keeps_crawlers_out_of_the_admin_and_names_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert "Sitemap: https://cgp.example.cn/sitemap.xml" in lines


def test_robots_txt_lets_crawlers_read_pages_and_trace_codes(client):
    disallowed = [
        line.split(":", 1)[1].strip()
        for line in client.get("/robots.txt").content.decode().splitlines()
        if line.startswith("Disallow:")
    ]
    for path in ["/zh-hans/", "/en/lookup/", "/t/G2024001011318204000001"]:
        assert not any(path.startswith(prefix) for prefix in disallowed)
