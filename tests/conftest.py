import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_seed", verbosity=0)


@pytest.fixture
def seed(db):
    """The seed fixtures; reloaded when a transactional (browser) test flushed them."""
    from responsibility.models import Column

    if not Column.objects.exists():
        call_command("load_seed", verbosity=0)
