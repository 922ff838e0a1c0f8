from dataclasses import dataclass

from maillage.accounts.models import User
from maillage.accounts.services import membership_set, user_create
from maillage.cooperations.models import Cooperation
from maillage.cooperations.services import cooperation_create
from maillage.demo import data


@dataclass(frozen=True)
class DemoAccount:
    email: str
    label: str


def demo_is_loaded() -> bool:
    return User.objects.filter(email=data.ACCOUNTS[0]["email"]).exists()


def load_demo(*, password: str) -> list[DemoAccount]:
    """Create the demo through the same services as the interface, as the system."""
    cooperations: dict[str, Cooperation] = {}
    for facts in data.COOPERATIONS:
        cooperations[facts["slug"]] = cooperation_create(actor=None, **facts)
    accounts = []
    for account in data.ACCOUNTS:
        user = user_create(
            actor=None,
            email=account["email"],
            password=password,
            first_name=account["first_name"],
            last_name=account["last_name"],
            is_staff=account.get("is_staff", False),
            email_verified=True,
        )
        if account.get("is_staff"):
            User.objects.filter(pk=user.pk).update(is_superuser=True)
        for slug, role in account["memberships"].items():
            membership_set(actor=None, cooperation=cooperations[slug], user=user, role=role)
        accounts.append(DemoAccount(account["email"], account["label"]))
    return accounts


def demo_accounts() -> list[DemoAccount]:
    return [DemoAccount(a["email"], a["label"]) for a in data.ACCOUNTS]
