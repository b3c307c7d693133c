import pytest

from .factories import CHAINS, home_page, page_chain


@pytest.mark.parametrize("page_type", sorted(name for name, chain in CHAINS.items() if chain))
def test_admin_add_and_edit_forms_render(admin_client, page_type):
    page = page_chain(page_type, home_page())
    model_name = type(page).__name__.lower()

    add_form = admin_client.get(f"/admin/pages/add/cms/{model_name}/{page.get_parent().pk}/")
    edit_form = admin_client.get(f"/admin/pages/{page.pk}/edit/")

    assert add_form.status_code == 200
    assert edit_form.status_code == 200


def test_document_upload_form_asks_for_a_description(admin_client):
    response = admin_client.get("/admin/documents/multiple/add/")
    edit = admin_client.get("/admin/documents/add/")

    assert response.status_code == 200
    assert 'name="description"' in edit.text
