from django.test import Client


def test_root_redirects_to_a_language_prefix(db):
    response = Client().get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/en/"


def test_admin_login_page_renders(db):
    response = Client().get("/admin/login/")
    assert response.status_code == 200
