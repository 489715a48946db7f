"""One application server for the page-cache test with two processes: it serves
requests through Django's full WSGI stack (middleware, page cache) and runs write
services, one command per line on stdin, one answer per line on stdout:

    get <path> <word>      → "<status> yes|no" (whether the page contains the word)
    withdraw <item> <user> → "ok"
    renew                  → "ok" (the database was loaded behind the services' back)
"""

import os
import sys
from pathlib import Path

# Run as a script from tests/, whose packages would shadow the project's apps.
sys.path[0] = str(Path(__file__).resolve().parents[2])

import django  # noqa: E402

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "furong_portal.test_settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402

from disclosure import services  # noqa: E402
from disclosure.models import Item  # noqa: E402
from furong_portal.pagecache import generation_renew  # noqa: E402


def main():
    client = Client()
    for line in sys.stdin:
        command, *arguments = line.split()
        if command == "get":
            path, word = arguments
            response = client.get(path)
            print(response.status_code, "yes" if word in response.content.decode() else "no", flush=True)
        elif command == "renew":
            generation_renew()
            print("ok", flush=True)
        elif command == "withdraw":
            item, user = Item.objects.get(pk=arguments[0]), get_user_model().objects.get(pk=arguments[1])
            services.item_withdraw(actor=user, item=item, reason="两个进程的测试")
            print("ok", flush=True)


if __name__ == "__main__":
    main()
