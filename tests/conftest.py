import pytest
from django.core.management import call_command


# {role: {(app_label, codename)}} exactly as the migrations left them, before any test ran.
MIGRATED_ROLE_GRANTS: dict[str, set[tuple[str, str]]] = {}


def _role_grants() -> dict[str, set[tuple[str, str]]]:
    from django.contrib.auth.models import Group

    return {
        group.name: set(group.permissions.values_list("content_type__app_label", "codename"))
        for group in Group.objects.all()
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        MIGRATED_ROLE_GRANTS.update(_role_grants())
        call_command("load_seed", verbosity=0)


@pytest.fixture
def seed(db):
    """The seed fixtures; reloaded when a transactional (browser) test flushed them."""
    from responsibility.models import Column

    if not Column.objects.exists():
        call_command("load_seed", verbosity=0)
