"""What the registry tells the apps built on it, without knowing them (the layering runs
registry → cases: `cases` listens)."""

from django.dispatch import Signal

# Sent inside the transaction of `person_update` when a person's nationalities changed, with
# `person` and `actor`: the non-refoulement guard derives refusals and home from them.
nationalities_changed = Signal()
# Sent inside the transaction of `person_register` once the person exists, with `person`: his
# case opens.
person_registered = Signal()
