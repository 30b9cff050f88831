"""Kim's choice of correspondents and his family messages."""

from safepassage.family import services
from safepassage.family.models import Direction

DETAINING = "National Information Bureau"  # alice's detaining power (tests/conftest.py)
MOTHER, BROTHER, STRANGER = "Kim Young Hee", "Kim Chol Ho", "Pak Un Ju"
NEWS = "NEWS-MARKER-we-are-well-and-the-rice-is-in 우리는 잘 있다"


def correspondents(people, person, may_write=(MOTHER, BROTHER), may_know_place=(MOTHER,)):
    return services.correspondence_choice_record(
        actor=people.interviewer, person=person, may_write=list(may_write),
        may_know_place=list(may_know_place),
    )  # fmt: skip


def message(people, person, direction=Direction.TO_HIM, name=MOTHER, text=NEWS, **fields):
    return services.family_message_write(
        actor=people.interviewer, person=person, direction=direction, text=text,
        correspondent_name=name, correspondent_contact=fields.pop("contact", "Seoul, Jung-gu 1"),
        **fields,
    )  # fmt: skip


def api_family_message(kim):
    """vera's record of a message from Kim's mother, whom he allows to write to him."""
    from types import SimpleNamespace

    from safepassage.accounts.models import User

    vera = User.objects.get(username="vera")
    people = SimpleNamespace(interviewer=vera)
    correspondents(people, kim)
    return message(people, kim)
